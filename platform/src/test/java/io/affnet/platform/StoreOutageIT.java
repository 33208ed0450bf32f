package io.affnet.platform;

import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A store that goes away while the platform runs turns its health component DOWN without bringing the
 * platform down, and its return heals it. The stores are reached through relays the test can cut.
 */
// Its own context (other properties) must not outlive the class: its event processors and outbound
// worker would otherwise compete with the shared context's for segments and deliveries.
@DirtiesContext
class StoreOutageIT extends PlatformIT {

    private static final TcpProxy POSTGRES;
    private static final TcpProxy REDIS;
    private static final TcpProxy ELASTICSEARCH;

    static {
        try {
            POSTGRES = new TcpProxy(5432);
            REDIS = new TcpProxy(6379);
            ELASTICSEARCH = new TcpProxy(URI.create(System.getenv().getOrDefault("AFFNET_ES_URL", "http://127.0.0.1:9200")).getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void throughRelays(DynamicPropertyRegistry registry) {
        String database = System.getenv().getOrDefault("AFFNET_DB_URL", "jdbc:postgresql://127.0.0.1:5432/affnet_test")
                .replaceAll("^.*/", "");
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + POSTGRES.port() + "/" + database);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "2000");
        registry.add("spring.data.redis.port", REDIS::port);
        registry.add("spring.elasticsearch.uris", () -> "http://127.0.0.1:" + ELASTICSEARCH.port());
    }

    @AfterAll
    static void closeRelays() throws IOException {
        POSTGRES.close();
        REDIS.close();
        ELASTICSEARCH.close();
    }

    private String component(String name) {
        return send("GET", "/actuator/health", null, null).json().at("/components/" + name + "/status").asText();
    }

    @Test
    void eachStoreGoingDownTurnsItsComponentDownAndItsReturnHealsIt() throws IOException {
        for (String name : new String[]{"db", "redis", "elasticsearch"}) {
            assertThat(component(name)).as(name).isEqualTo("UP");
        }
        TcpProxy[] relays = {POSTGRES, REDIS, ELASTICSEARCH};
        String[] names = {"db", "redis", "elasticsearch"};
        for (int i = 0; i < relays.length; i++) {
            String name = names[i];
            relays[i].pause();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(component(name)).as(name).isEqualTo("DOWN"));
            Response health = send("GET", "/actuator/health", null, null);
            assertThat(health.status()).isEqualTo(503);
            assertThat(send("GET", "/v3/api-docs", null, null).status()).as("platform still serves").isEqualTo(200);

            relays[i].resume();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(component(name)).as(name).isEqualTo("UP"));
        }
        assertThat(send("GET", "/actuator/health", null, null).status()).isEqualTo(200);
    }
}
