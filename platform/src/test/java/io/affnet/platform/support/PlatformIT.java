package io.affnet.platform.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.platform.AffnetApplication;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * Base of the integration tests: the whole platform on a random port against the real PostgreSQL,
 * Redis and Elasticsearch that {@code ./affnet test} starts.
 */
@SpringBootTest(classes = AffnetApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
public abstract class PlatformIT {

    public static final String OPERATOR_KEY = "test-operator-key-0123456789";

    public static final ObjectMapper JSON = new ObjectMapper();
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    protected int port;

    @Autowired
    public JdbcTemplate jdbc;

    public String base;

    @BeforeEach
    void setBase() {
        base = "http://127.0.0.1:" + port;
    }

    public record Response(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public Response send(String method, String path, String key, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    public static String uniqueSlug(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers a tenant through the API and returns {tenantId, adminKey}. */
    public String[] registerTenant(String slug) {
        Response r = send("POST", "/api/v1/tenants", OPERATOR_KEY,
                "{\"slug\":\"" + slug + "\",\"name\":\"Tenant " + slug + "\",\"timezone\":\"Europe/Berlin\",\"currency\":\"EUR\"}");
        if (r.status() != 201) {
            throw new AssertionError("registration failed: " + r);
        }
        JsonNode body = r.json();
        return new String[]{body.get("tenantId").asText(), body.get("adminKey").asText()};
    }

    /** A GraphQL query over HTTP, as the console sends it. */
    protected Response gqlPost(String key, String query) {
        return send("POST", "/graphql", key, "{\"query\":" + JSON.valueToTree(query) + "}");
    }

    /**
     * The data of a GraphQL answer without errors that passes {@code check}, awaited up to 90 s (the views it reads
     * are filled by projections, the audit chain by its writer).
     */
    protected JsonNode gqlData(String key, String query, java.util.function.Consumer<JsonNode> check) {
        JsonNode[] out = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Response r = gqlPost(key, query);
            org.assertj.core.api.Assertions.assertThat(r.status()).as(r.body()).isEqualTo(200);
            org.assertj.core.api.Assertions.assertThat(r.json().path("errors").isMissingNode() || r.json().path("errors").isEmpty())
                    .as(r.body()).isTrue();
            check.accept(r.json().get("data"));
            out[0] = r.json().get("data");
        });
        return out[0];
    }

    /** The classification of a GraphQL answer's first error (a GraphQL answer, never an internal error). */
    protected String gqlError(String key, String query) {
        Response r = gqlPost(key, query);
        org.assertj.core.api.Assertions.assertThat(r.body()).doesNotContain("INTERNAL_ERROR");
        org.assertj.core.api.Assertions.assertThat(r.status()).as(r.body()).isIn(200, 400);
        JsonNode errors = r.json().path("errors");
        org.assertj.core.api.Assertions.assertThat(errors.isArray() && !errors.isEmpty()).as(query + " -> " + r.body()).isTrue();
        return errors.get(0).at("/extensions/classification").asText();
    }

    protected long eventCount() {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
    }

    /**
     * Every event in the store, once the count has stood still for 300 ms (at most 10 s): processors append too (the
     * ledger intake, the payout sagas, deadlines), a little after the events they react to, since they linger at the
     * head of the store ({@code affnet.processors.linger}). For a test that compares counts around a refused request
     * right after setting its tenant up, which must not see the set-up's consequences land in between.
     */
    protected long settledEventCount() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long last = eventCount();
        long stillSince = System.nanoTime();
        while (System.nanoTime() - stillSince < java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300)
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = eventCount();
            if (now != last) {
                last = now;
                stillSince = System.nanoTime();
            }
        }
        return last;
    }
}
