package io.affnet.command.click;

import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.command.geo.GeoIp;
import io.affnet.command.geo.HostingNetworks;
import io.affnet.web.degrade.StoreBreaker;
import io.micrometer.observation.ObservationPredicate;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.http.server.observation.ServerRequestObservationContext;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
public class ClickConfiguration {

    @Bean
    ClickConfigCache clickConfigCache(StringRedisTemplate redis, StoreBreaker redisBreaker,
                                      @Value("${affnet.redis.miss-timeout:500ms}") Duration missTimeout,
                                      @Value("${affnet.click.cache-ttl-ms:60000}") long ttl,
                                      @Value("${affnet.click.negative-cache-ttl-ms:2000}") long negativeTtl) {
        return new ClickConfigCache(redis, redisBreaker, missTimeout.toMillis(), ttl, negativeTtl, System::currentTimeMillis);
    }

    /** Every node drops its copy of a configuration entry the moment the projection announces a change. */
    @Bean
    RedisMessageListenerContainer clickConfigListener(RedisConnectionFactory connections, ClickConfigCache cache) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.addMessageListener((message, pattern) ->
                cache.invalidate(new String(message.getBody(), StandardCharsets.UTF_8)), new ChannelTopic(ConfigCacheKeys.CHANNEL));
        return container;
    }

    @Bean
    CapGate capGate(StringRedisTemplate redis, StoreBreaker redisBreaker, @Value("${affnet.click.cap-refresh-ms:1000}") long refresh) {
        return new CapGate(redis, redisBreaker, refresh, System::currentTimeMillis);
    }

    @Bean
    UniqueClicks uniqueClicks(RedisConnectionFactory connections, StoreBreaker redisBreaker,
                              @Value("${affnet.click.unique-window:24h}") Duration window,
                              @Value("${affnet.click.unique-timeout:500ms}") Duration timeout) {
        return new UniqueClicks(connections, redisBreaker, window, timeout);
    }

    @Bean
    ClickRecorder clickRecorder(EventStore eventStore, UniqueClicks uniqueClicks, StoredClicks storedClicks,
                                @Value("${affnet.click.max-wait:5s}") Duration maxWait,
                                @Value("${affnet.click.queue-capacity:20000}") int capacity,
                                @Value("${affnet.click.max-batch:500}") int maxBatch,
                                @Value("${affnet.click.writers:1}") int writers) {
        return new ClickRecorder(eventStore, uniqueClicks, storedClicks, capacity, maxBatch, writers, maxWait.toMillis());
    }

    @Bean
    DeviceClassifier deviceClassifier(@Value("${affnet.click.ua-cache-size:20000}") int cacheSize) {
        return new DeviceClassifier(cacheSize);
    }

    @Bean
    CountryResolver countryResolver(@Value("${affnet.click.country-header:CF-IPCountry}") String header, GeoIp geo,
                                    HostingNetworks hosting) {
        return CountryResolver.headerThenDatabase(header, geo, hosting);
    }

    @Bean
    IpAnonymizer ipAnonymizer(@Value("${affnet.click.ip-hash-secret}") String secret) {
        return new IpAnonymizer(secret);
    }

    @Bean
    ClickService clickService(ClickConfigCache cache, CapGate caps, ObjectProvider<OfferSelector> selector,
                              ClickRecorder recorder, Clock clock) {
        return new ClickService(cache, caps, selector.getIfAvailable(OfferSelector::uniform), recorder, clock);
    }

    /**
     * No {@code http.server.requests} observation for the click redirect: on this path it cost about a
     * tenth of the request thread's CPU (see docs/bench-clicks.md). Clicks are counted where they are
     * recorded (the event store, {@link ClickRecorder#appended()}).
     */
    @Bean
    ObservationPredicate noClickRequestObservations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && server.getCarrier() != null && server.getCarrier().getRequestURI().startsWith("/c/"));
    }

    @Bean
    ServletRegistrationBean<ClickServlet> clickServlet(ClickService clicks, DeviceClassifier devices,
                                                       CountryResolver countries, IpAnonymizer ips,
                                                       @Value("${affnet.click.client-ip-header:}") String clientIpHeader,
                                                       @Value("${affnet.click.cookie-name:afn_cid}") String cookieName) {
        ServletRegistrationBean<ClickServlet> registration = new ServletRegistrationBean<>(
                new ClickServlet(clicks, devices, countries, ips, clientIpHeader, cookieName), "/c/*");
        registration.setAsyncSupported(true);
        registration.setName("clicks");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
