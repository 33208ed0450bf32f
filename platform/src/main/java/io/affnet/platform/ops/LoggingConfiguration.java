package io.affnet.platform.ops;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Request ids in the log context and the answers; the JSON switch is {@link JsonLogging}. */
@Configuration(proxyBeanMethods = false)
public class LoggingConfiguration {

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter(
            @Value("${affnet.logging.trusted-request-id-header:}") String trustedHeader) {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter(trustedHeader));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setAsyncSupported(true);
        registration.setName("requestId");
        return registration;
    }
}
