package io.affnet.platform;

import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformSurfaceIT extends PlatformIT {

    @Test
    void healthShowsEachStoreUp() {
        Response health = send("GET", "/actuator/health", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(health.json().at("/components/redis/status").asText()).isEqualTo("UP");
        assertThat(health.json().at("/components/elasticsearch/status").asText()).isEqualTo("UP");
    }

    @Test
    void openApiDocumentsTheApiAndGraphiqlIsServed() {
        Response docs = send("GET", "/v3/api-docs", null, null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().at("/paths").has("/api/v1/tenants")).isTrue();
        assertThat(docs.json().at("/paths").has("/api/v1/tenants/{id}")).isTrue();
        Response graphiql = send("GET", "/graphiql?path=/graphql", null, null);
        assertThat(graphiql.status()).isEqualTo(200);
        assertThat(graphiql.body()).containsIgnoringCase("graphiql");
    }

    @Test
    void unknownApiRouteIsAProblem() {
        Response r = send("GET", "/api/v1/nothing-here", OPERATOR_KEY, null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }
}
