package io.affnet.web;

import io.affnet.web.auth.ApiKeyAuthFilter;
import io.affnet.web.auth.ApiKeyDirectory;
import io.affnet.web.auth.ApiKeys;
import io.affnet.web.auth.CallerArgumentResolver;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

@Configuration(proxyBeanMethods = false)
public class WebSupportConfiguration implements WebMvcConfigurer {

    @Bean
    ApiKeys apiKeys(@Value("${affnet.security.key-pepper}") String pepper) {
        return new ApiKeys(pepper);
    }

    @Bean
    ApiKeyDirectory apiKeyDirectory(JdbcTemplate jdbc) {
        return new ApiKeyDirectory(jdbc);
    }

    @Bean
    FilterRegistrationBean<ApiKeyAuthFilter> apiKeyAuthFilter(ApiKeys apiKeys, ApiKeyDirectory directory,
                                                              @Value("${affnet.security.operator-key:}") String operatorKey) {
        FilterRegistrationBean<ApiKeyAuthFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyAuthFilter(apiKeys, directory, operatorKey));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
    }
}
