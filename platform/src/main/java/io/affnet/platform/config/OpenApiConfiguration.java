package io.affnet.platform.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI affnetOpenApi() {
        return new OpenAPI()
                .info(new Info().title("affnet API").version("v1")
                        .description("Event-sourced multi-tenant affiliate tracking. Authenticate with "
                                + "'Authorization: Bearer <API key>'. Errors are application/problem+json.")
                        .license(new License().name("Apache-2.0 (traffic-distribution module: GPL-3.0 through Smile)")))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("afn_live_…")));
    }
}
