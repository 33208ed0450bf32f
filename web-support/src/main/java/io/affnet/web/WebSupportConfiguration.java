package io.affnet.web;

import io.affnet.web.auth.AccessInterceptor;
import io.affnet.web.auth.ApiKeyAuthFilter;
import io.affnet.web.auth.ApiKeyDirectory;
import io.affnet.web.auth.ApiKeys;
import io.affnet.web.auth.CallerArgumentResolver;
import io.affnet.web.auth.CallerMetaData;
import io.affnet.web.auth.KeyUsage;
import io.affnet.web.degrade.StoreBreaker;
import io.affnet.web.limits.BodySizeFilter;
import io.affnet.web.limits.InputTextFilter;
import io.affnet.web.limits.LimitSettings;
import io.affnet.web.limits.FailedAuthLimitFilter;
import io.affnet.web.limits.LimitsFilter;
import io.affnet.web.limits.RateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

@Configuration(proxyBeanMethods = false)
public class WebSupportConfiguration implements WebMvcConfigurer {

    @Bean
    ApiKeys apiKeys(@Value("${affnet.security.key-pepper}") String pepper) {
        return new ApiKeys(pepper);
    }

    @Bean
    TrackingDomains trackingDomains(JdbcTemplate jdbc, @Value("${affnet.tracking-domains.cache-ttl-ms:10000}") long ttl) {
        return new TrackingDomains(jdbc, ttl, System::currentTimeMillis);
    }

    @Bean
    ApiKeyDirectory apiKeyDirectory(JdbcTemplate jdbc) {
        return new ApiKeyDirectory(jdbc);
    }

    @Bean(destroyMethod = "close")
    KeyUsage keyUsage(JdbcTemplate jdbc, @Value("${affnet.security.last-used-flush-ms:5000}") long flushMillis) {
        return new KeyUsage(jdbc, flushMillis);
    }

    @Bean
    FilterRegistrationBean<BodySizeFilter> bodySizeFilter(LimitSettings limits) {
        FilterRegistrationBean<BodySizeFilter> registration = new FilterRegistrationBean<>(new BodySizeFilter(limits.maxBodyBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    @Bean
    FilterRegistrationBean<InputTextFilter> inputTextFilter() {
        FilterRegistrationBean<InputTextFilter> registration = new FilterRegistrationBean<>(new InputTextFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 6);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiKeyAuthFilter> apiKeyAuthFilter(ApiKeys apiKeys, ApiKeyDirectory directory, KeyUsage usage,
                                                              ObjectProvider<Clock> clock,
                                                              @Value("${affnet.security.operator-key:}") String operatorKey) {
        FilterRegistrationBean<ApiKeyAuthFilter> registration = new FilterRegistrationBean<>(
                new ApiKeyAuthFilter(apiKeys, directory, operatorKey, usage, clock.getIfAvailable(Clock::systemUTC)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    LimitSettings limitSettings(@Value("${affnet.limits.api.key-per-second:500}") long keyRate,
                                @Value("${affnet.limits.api.key-burst:1000}") long keyBurst,
                                @Value("${affnet.limits.api.tenant-per-second:1000}") long tenantRate,
                                @Value("${affnet.limits.api.tenant-burst:2000}") long tenantBurst,
                                @Value("${affnet.limits.tracking.ip-per-second:50000}") long ipRate,
                                @Value("${affnet.limits.tracking.ip-burst:100000}") long ipBurst,
                                @Value("${affnet.limits.max-body-bytes:1048576}") long maxBody,
                                @Value("${affnet.click.client-ip-header:}") String clientIpHeader) {
        return new LimitSettings(new RateLimiter.Limit(keyRate, keyBurst), new RateLimiter.Limit(tenantRate, tenantBurst),
                new RateLimiter.Limit(ipRate, ipBurst), maxBody, clientIpHeader);
    }

    /**
     * The breaker every request-path use of Redis goes through (rate limits, caps, configuration misses,
     * counters): a request waits at most {@code affnet.redis.request-timeout} for Redis, and none waits
     * while Redis is known to be away. The platform's probe opens and closes it (docs/operations.md).
     */
    @Bean(destroyMethod = "close")
    StoreBreaker redisBreaker(@Value("${affnet.redis.request-timeout:100ms}") Duration timeout,
                              @Value("${affnet.redis.breaker-threads:4}") int threads,
                              @Value("${affnet.redis.trip-after:3}") int tripAfter) {
        return new StoreBreaker("Redis", timeout.toMillis(), threads, tripAfter);
    }

    /** Its own Lettuce client (Bucket4j needs a byte-array codec), on the Redis the platform uses. */
    @Bean(destroyMethod = "close")
    RateLimiter rateLimiter(@Value("${spring.data.redis.host:127.0.0.1}") String host,
                            @Value("${spring.data.redis.port:6379}") int port, StoreBreaker redisBreaker) {
        RedisURI uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(Duration.ofSeconds(2)).build();
        return new RateLimiter(RedisClient.create(uri), redisBreaker);
    }

    /** Before authentication: an address with too many failed authentications is refused without a look at its key. */
    @Bean
    FilterRegistrationBean<FailedAuthLimitFilter> failedAuthLimitFilter(RateLimiter limiter, LimitSettings settings,
            @Value("${affnet.limits.auth-failures.ip-per-second:1}") long rate,
            @Value("${affnet.limits.auth-failures.ip-burst:30}") long burst) {
        FilterRegistrationBean<FailedAuthLimitFilter> registration = new FilterRegistrationBean<>(new FailedAuthLimitFilter(
                limiter, new RateLimiter.Limit(rate, burst), settings, System::currentTimeMillis));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 8);
        return registration;
    }

    @Bean
    FilterRegistrationBean<LimitsFilter> limitsFilter(RateLimiter limiter, LimitSettings settings) {
        FilterRegistrationBean<LimitsFilter> registration = new FilterRegistrationBean<>(new LimitsFilter(limiter, settings));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /** Copies who sent a command onto the events it causes (and keeps Axon's correlation ids). */
    @Bean
    CorrelationDataProvider callerCorrelation() {
        return new SimpleCorrelationDataProvider(CallerMetaData.KEYS.toArray(String[]::new));
    }

    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    @Bean
    SmartInitializingSingleton callerMetaDataOnGateways(ObjectProvider<CommandGateway> commands,
                                                         ObjectProvider<QueryGateway> queries) {
        return () -> {
            commands.ifAvailable(g -> g.registerDispatchInterceptor(new CallerMetaData<>()));
            queries.ifAvailable(g -> g.registerDispatchInterceptor(new CallerMetaData<>()));
        };
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AccessInterceptor()).addPathPatterns("/api/**");
    }
}
