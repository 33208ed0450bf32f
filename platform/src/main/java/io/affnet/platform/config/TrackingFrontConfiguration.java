package io.affnet.platform.config;

import io.affnet.command.click.ClickServlet;
import io.affnet.platform.ops.RequestIdFilter;
import io.affnet.web.DirectServletFilter;
import io.affnet.web.limits.LimitsFilter;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.util.List;

/**
 * The click redirect's front ({@code decisions/0015}): a {@code /c/*} request passes the request id
 * (log context, {@code X-Request-Id}) and the per-IP tracking limit, then {@link ClickServlet}, and none
 * of the other filters mapped to every path. Those let a click through untouched (the API's key, input,
 * failed-authentication and body checks look at {@code /api/**}, {@code /graphql} and {@code /postback}
 * only; character encoding, form content and request context serve Spring MVC, which a click never
 * reaches; the request observation is off for clicks), but each cost its share of every click.
 */
@Configuration(proxyBeanMethods = false)
public class TrackingFrontConfiguration {

    @Bean
    FilterRegistrationBean<DirectServletFilter> clickFront(FilterRegistrationBean<RequestIdFilter> requestId,
                                                           FilterRegistrationBean<LimitsFilter> limits,
                                                           ServletRegistrationBean<ClickServlet> clicks) {
        FilterRegistrationBean<DirectServletFilter> registration = new FilterRegistrationBean<>(
                new DirectServletFilter(List.of(requestId.getFilter(), limits.getFilter()), clicks.getServlet()));
        registration.addUrlPatterns("/c/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setAsyncSupported(true);
        registration.setName("clickFront");
        // First of all: a tie with other filters of the same order keeps registration beans ahead of
        // filters Spring Boot adapts from plain beans (character encoding, the request observation).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
