package io.affnet.platform.startup;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

class StoreProbeTest {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void namesEachUnreachableStoreTheAddressAndHowToStartIt() throws IOException {
        int port = closedPort();
        assertThat(StoreProbe.postgres("jdbc:postgresql://127.0.0.1:" + port + "/affnet", "postgres", ""))
                .hasValueSatisfying(line -> assertThat(line).startsWith("PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:" + port)
                        .contains("./affnet services up").doesNotContain("\n"));
        assertThat(StoreProbe.redis("127.0.0.1", port))
                .hasValueSatisfying(line -> assertThat(line).startsWith("Redis is not reachable at 127.0.0.1:" + port)
                        .contains("./affnet services up"));
        assertThat(StoreProbe.elasticsearch("http://127.0.0.1:" + port))
                .hasValueSatisfying(line -> assertThat(line).startsWith("Elasticsearch is not reachable at http://127.0.0.1:" + port)
                        .contains("AFFNET_ES_URL"));
    }

    @Test
    void reachableStoresPassTheProbe() {
        assertThat(StoreProbe.postgres("jdbc:postgresql://127.0.0.1:5432/affnet_test", "postgres", "")).isEmpty();
        assertThat(StoreProbe.redis("127.0.0.1", 6379)).isEmpty();
        assertThat(StoreProbe.elasticsearch(System.getenv().getOrDefault("AFFNET_ES_URL", "http://127.0.0.1:9200"))).isEmpty();
    }
}
