package io.affnet.platform.config;

import io.affnet.web.auth.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

    /** The standard errors every operation may answer, besides those it documents itself. */
    private static final Map<String, String> ERRORS = Map.of(
            "400", "Invalid input: the problem names every invalid field in errors; nothing was changed",
            "401", "No or unknown API key",
            "403", "The key's role may not do this",
            "404", "Not found in the caller's tenant (another tenant's id answers the same)",
            "429", "Rate limit of the key, tenant or client reached; retry after Retry-After",
            "503", "A store is unavailable; nothing was changed, retry after Retry-After");

    static {
        // The caller comes from the Authorization header (CallerArgumentResolver), never from a query parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI affnetOpenApi() {
        return new OpenAPI()
                .info(new Info().title("affnet API").version("v1")
                        .description("Event-sourced multi-tenant affiliate tracking. Authenticate with "
                                + "'Authorization: Bearer <API key>'. Errors are application/problem+json. Money is a "
                                + "decimal string with its currency ({\"amount\":\"12.34\",\"currency\":\"USD\"}), a "
                                + "percentage a decimal string ({\"percent\":\"12.5\"}).")
                        .license(new License().name("Apache-2.0 (traffic-distribution module: GPL-3.0 through Smile)")))
                .components(new Components()
                        .addSecuritySchemes("bearer",
                                new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("afn_live_…"))
                        .addSchemas(PROBLEM, problemSchema()));
    }

    /** Adds the problem+json error answers to every operation that does not document them itself. */
    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            ERRORS.forEach((status, description) -> responses.computeIfAbsent(status, s -> new ApiResponse()
                    .description(description)
                    .content(new Content().addMediaType("application/problem+json",
                            new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))))));
            operation.setResponses(responses);
            return operation;
        };
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema problemSchema() {
        Schema error = new ObjectSchema()
                .addProperty("field", new StringSchema().description("The invalid field, as a path").example("goals[0].payout.amount"))
                .addProperty("message", new StringSchema().description("What is wrong and what to send instead")
                        .example("goals[0].payout.amount \"10.555\" has more decimals than USD has (2 decimals); it would not be exact"));
        return new ObjectSchema().description("RFC 9457 problem document")
                .addProperty("type", new StringSchema().description("Stable identifier of the kind of error")
                        .example("https://affnet.dev/problems/validation"))
                .addProperty("title", new StringSchema().description("HTTP reason phrase").example("Bad Request"))
                .addProperty("status", new IntegerSchema().description("HTTP status").example(400))
                .addProperty("detail", new StringSchema().description("What went wrong, for a person")
                        .example("The request has 2 invalid values: name is required; currency is required."))
                .addProperty("instance", new StringSchema().description("The request path").example("/api/v1/offers"))
                .addProperty("errors", new ArraySchema().items(error)
                        .description("Validation problems only: every invalid field of the request"));
    }
}
