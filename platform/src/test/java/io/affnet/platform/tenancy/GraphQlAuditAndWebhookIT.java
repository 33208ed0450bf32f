package io.affnet.platform.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Role;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.PostbackReceiver;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit reads beyond the events page (auditState, auditDiff, auditVerify, auditKeys in audit.graphqls), the tenant's
 * payout webhook (payoutWebhook) and the live counters subscription (todayCounters) through GraphQL: typed answers
 * (money figures as decimal strings with their currency), another tenant's id NOT_FOUND as over REST, roles without
 * access FORBIDDEN, bad arguments BAD_REQUEST (or graphql-java's validation), never an internal error; each tenant's
 * and role's counters are its own, and an affiliate's carry no revenue or profit. BolaMatrixIT has every role and side.
 */
class GraphQlAuditAndWebhookIT extends PlatformIT {

    static TenantFixture a;
    static TenantFixture b;

    @BeforeEach
    void tenants() {
        if (a == null) {
            a = TenantFixture.create(this, "gql-audit-a");
            b = TenantFixture.create(this, "gql-audit-b");
        }
    }

    private static JsonNode named(JsonNode items, String field, java.util.function.Predicate<String> name) {
        for (JsonNode i : items) {
            if (name.test(i.path(field).asText())) {
                return i;
            }
        }
        return null;
    }

    @Test
    void stateDiffVerifyAndKeysAreTypedWithMoneyAsDecimalStrings() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        Traffic t = Traffic.tenant(this, "gql-audit-money", false);
        String offer = t.offer("null", 86400);
        String affiliate = t.affiliate("gql-audit@example.com", "[]");
        String code = t.link(affiliate, offer);
        // Goal "lead": payout 2.00 EUR, revenue 3.00 EUR.
        assertThat(t.postback("click_id=" + t.clickId(code) + "&goal=lead&txn_id=GQLAUDIT1").body()).isEqualTo("accepted");

        String stateQuery = "{ auditState { tenantId at events replayMillis replayEventsPerSecond replayCpuMicrosPerEvent zone "
                + "figures { name value amount currency } live { compared matches differences { figure replayed live } } } }";
        JsonNode state = gqlData(t.key, stateQuery, d -> {
            JsonNode figures = d.at("/auditState/figures");
            JsonNode payout = named(figures, "name", n -> n.endsWith("/payout/EUR"));
            assertThat(payout).as(figures.toString()).isNotNull();
            assertThat(payout.get("value").asLong()).isEqualTo(200);
            assertThat(named(figures, "name", n -> n.startsWith("balance/") && n.endsWith("Minor"))).as(figures.toString()).isNotNull();
        }).get("auditState");
        assertThat(state.get("tenantId").asText()).isEqualTo(t.tenantId);
        assertThat(state.get("events").isNumber()).isTrue();
        assertThat(state.get("replayCpuMicrosPerEvent").isNumber()).isTrue();
        assertThat(state.at("/live/matches").isBoolean()).isTrue();
        assertThat(state.at("/live/compared").isArray()).isTrue();
        JsonNode figures = state.get("figures");
        JsonNode payout = named(figures, "name", n -> n.endsWith("/payout/EUR"));
        assertThat(payout.get("amount").asText()).isEqualTo("2.00");
        assertThat(payout.get("currency").asText()).isEqualTo("EUR");
        assertThat(named(figures, "name", n -> n.endsWith("/revenue/EUR")).get("amount").asText()).isEqualTo("3.00");
        JsonNode balance = named(figures, "name", n -> n.startsWith("balance/") && n.endsWith("Minor"));
        assertThat(balance.get("value").asLong()).isEqualTo(200);
        assertThat(balance.get("amount").asText()).isEqualTo("2.00");
        JsonNode clicks = named(figures, "name", n -> n.endsWith("/clicks"));
        assertThat(clicks.get("value").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(clicks.get("amount").isNull()).as("a count is no money").isTrue();
        assertThat(clicks.get("currency").isNull()).isTrue();

        // Before the tenant existed: nothing; an instant in the past has no live comparison.
        JsonNode before = gqlData(t.key, "{ auditState(at: \"" + start + "\") { at figures { name } live { matches } } }", d -> {
        }).get("auditState");
        assertThat(before.get("figures")).isEmpty();
        assertThat(before.get("live").isNull()).isTrue();

        String to = Instant.now().plusSeconds(3600).toString();
        JsonNode diff = gqlData(t.key, "{ auditDiff(from: \"" + start + "\", to: \"" + to + "\") { tenantId from to "
                + "changes { figure from to fromAmount toAmount currency } causes { globalPosition type aggregateId timestamp figures } "
                + "causesTotal events replayMillis replayEventsPerSecond } }", d -> {
        }).get("auditDiff");
        JsonNode change = named(diff.get("changes"), "figure", n -> n.endsWith("/payout/EUR"));
        assertThat(change).as(diff.toString()).isNotNull();
        assertThat(change.get("from").asLong()).isZero();
        assertThat(change.get("to").asLong()).isEqualTo(200);
        assertThat(change.get("fromAmount").asText()).isEqualTo("0.00");
        assertThat(change.get("toAmount").asText()).isEqualTo("2.00");
        assertThat(change.get("currency").asText()).isEqualTo("EUR");
        assertThat(diff.get("causesTotal").isNumber()).isTrue();
        assertThat(diff.get("causes")).isNotEmpty();
        assertThat(diff.at("/causes/0/figures").isArray()).isTrue();
        assertThat(diff.at("/causes/0/globalPosition").asText()).matches("\\d+");

        String auditor = send("POST", "/api/v1/keys", t.key, "{\"role\":\"AUDITOR\"}").json().get("key").asText();
        JsonNode verify = gqlData(auditor, "{ auditVerify { verified events tenants checkpoints broken { globalPosition reason } line } }",
                d -> assertThat(d.at("/auditVerify/events").asLong()).isPositive()).get("auditVerify");
        assertThat(verify.get("verified").asBoolean()).as(verify.toString()).isTrue();
        assertThat(verify.get("tenants").asInt()).isEqualTo(1);
        assertThat(verify.get("checkpoints").isNumber()).isTrue();
        assertThat(verify.get("broken").isNull()).isTrue();
        assertThat(verify.get("line").asText()).startsWith("verified");

        JsonNode keys = gqlData(auditor, "{ auditKeys { activeKeyId keys { keyId publicKey active } } }", d -> {
        }).get("auditKeys");
        JsonNode active = named(keys.get("keys"), "keyId", id -> id.equals(keys.get("activeKeyId").asText()));
        assertThat(active).as(keys.toString()).isNotNull();
        assertThat(active.get("active").asBoolean()).isTrue();
        assertThat(java.util.Base64.getDecoder().decode(active.get("publicKey").asText())).isNotEmpty();
        // REST answers the same keys (GraphQL is answered by REST's code).
        assertThat(send("GET", "/api/v1/audit/keys", auditor, null).json().get("activeKeyId").asText())
                .isEqualTo(keys.get("activeKeyId").asText());
    }

    @Test
    void anotherTenantIsNotFoundOtherRolesForbiddenBadArgumentsBadRequest() {
        gqlData(b.admin(), "{ auditState { tenantId } auditVerify { verified } }",
                d -> assertThat(d.at("/auditState/tenantId").asText()).isEqualTo(b.tenantId));
        String range = "from: \"2026-01-01T00:00:00Z\", to: \"2030-01-01T00:00:00Z\"";
        for (String query : List.of("{ auditState(tenantId: \"" + b.tenantId + "\") { tenantId } }",
                "{ auditDiff(tenantId: \"" + b.tenantId + "\", " + range + ") { tenantId } }",
                "{ auditVerify(tenantId: \"" + b.tenantId + "\") { verified } }")) {
            assertThat(gqlError(a.admin(), query)).as(query).isEqualTo("NOT_FOUND");
            assertThat(gqlError(a.keys.get(Role.AUDITOR), query)).as(query).isEqualTo("NOT_FOUND");
        }
        // The operator names the tenant (and reads any), as over REST.
        gqlData(OPERATOR_KEY, "{ auditState(tenantId: \"" + b.tenantId + "\") { tenantId } }",
                d -> assertThat(d.at("/auditState/tenantId").asText()).isEqualTo(b.tenantId));
        assertThat(gqlError(OPERATOR_KEY, "{ auditState { tenantId } }")).isEqualTo("BAD_REQUEST");
        assertThat(gqlError(OPERATOR_KEY, "{ auditDiff(" + range + ") { tenantId } }")).isEqualTo("BAD_REQUEST");
        for (Role role : List.of(Role.TENANT_ANALYST, Role.AFFILIATE, Role.ADVERTISER)) {
            for (String query : List.of("{ auditState { tenantId } }", "{ auditDiff(" + range + ") { tenantId } }",
                    "{ auditVerify { verified } }", "{ auditKeys { activeKeyId } }")) {
                assertThat(gqlError(a.keys.get(role), query)).as(role + " " + query).isEqualTo("FORBIDDEN");
            }
        }
        String admin = a.admin();
        for (String query : List.of("{ auditState(at: \"yesterday\") { at } }", "{ auditState(affiliateId: \"no spaces\") { at } }",
                "{ auditState(offerId: \"" + "x".repeat(300) + "\") { at } }", "{ auditState(tenantId: \"bad id!\") { at } }",
                "{ auditDiff(from: \"x\", to: \"2030-01-01T00:00:00Z\") { to } }",
                "{ auditDiff(from: \"2030-01-01T00:00:00Z\", to: \"2026-01-01T00:00:00Z\") { to } }",
                "{ auditDiff(" + range + ", affiliateId: \"a/b\") { to } }", "{ auditVerify(tenantId: \"bad id!\") { line } }",
                "{ auditState(at: \"" + Instant.MAX + "\") { at } }",
                "{ auditDiff(from: \"2026-01-01T00:00:00Z\", to: \"" + Instant.MAX + "\") { to } }")) {
            assertThat(gqlError(admin, query)).as(query).isEqualTo("BAD_REQUEST");
        }
        // REST answers the same instant with a problem, not a 500 (the replay would overflow Instant.MAX).
        Response max = send("GET", "/api/v1/audit/state?at=" + java.net.URLEncoder.encode(Instant.MAX.toString(),
                java.nio.charset.StandardCharsets.UTF_8), admin, null);
        assertThat(max.status()).as(max.body()).isEqualTo(400);
        assertThat(max.contentType()).contains("application/problem+json");
        assertThat(gqlError(admin, "{ auditDiff(from: \"2026-01-01T00:00:00Z\") { to } }")).isEqualTo("ValidationError");
        assertThat(gqlError(admin, "{ auditState(at: 5) { at } }")).isEqualTo("ValidationError");
    }

    @Test
    void theTenantAdminReadsItsPayoutWebhookWithTheSecretsPrefixOnly() throws Exception {
        Traffic t = Traffic.tenant(this, "gql-webhook", false);
        assertThat(gqlError(t.key, "{ payoutWebhook { url } }")).as("before the first PUT").isEqualTo("NOT_FOUND");
        try (PostbackReceiver receiver = new PostbackReceiver()) {
            Response put = send("PUT", "/api/v1/payout-webhook", t.key, "{\"url\":\"" + receiver.base() + "/tenant\"}");
            assertThat(put.status()).as(put.body()).isEqualTo(201);
            String secret = put.json().get("secret").asText();
            JsonNode hook = gqlData(t.key, "{ payoutWebhook { url version secretPrefix secretIssuedAt paused pausedAt pauseReason "
                    + "consecutiveFailures } }", d -> {
            }).get("payoutWebhook");
            assertThat(hook.get("url").asText()).isEqualTo(receiver.base() + "/tenant");
            assertThat(hook.get("version").isInt()).isTrue();
            assertThat(hook.get("secretPrefix").asText()).isEqualTo(secret.substring(0, 10));
            assertThat(hook.get("paused").asBoolean()).isFalse();
            assertThat(hook.get("consecutiveFailures").isInt()).isTrue();
            assertThat(hook.toString()).doesNotContain(secret);
            Response rest = send("GET", "/api/v1/payout-webhook", t.key, null);
            assertThat(rest.json().get("secretPrefix").asText()).isEqualTo(hook.get("secretPrefix").asText());
        }
        // Another tenant's admin reads its own (none): NOT_FOUND, never this tenant's.
        assertThat(gqlError(b.admin(), "{ payoutWebhook { url } }")).isEqualTo("NOT_FOUND");
        List<String> forbidden = new ArrayList<>();
        for (Role role : List.of(Role.TENANT_ANALYST, Role.AFFILIATE, Role.ADVERTISER, Role.AUDITOR)) {
            String c = gqlError(a.keys.get(role), "{ payoutWebhook { url secretPrefix } }");
            if (!c.equals("FORBIDDEN")) {
                forbidden.add(role + " " + c);
            }
        }
        assertThat(forbidden).isEmpty();
        assertThat(gqlError(OPERATOR_KEY, "{ payoutWebhook { url } }")).isEqualTo("FORBIDDEN");
    }

    @Test
    void eachTenantsAndRolesLiveCountersAreItsOwnAndAnAffiliateSeesNoRevenue() throws Exception {
        // Only tenant B is clicked: B's counters show it, A's (every role) stay at zero.
        await().atMost(Duration.ofSeconds(60)).until(() -> http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base + "/c/" + b.code1)).header("User-Agent", Traffic.DESKTOP).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 302);
        String query = "{\"query\":\"subscription { todayCounters { day clicks conversions revenue payout profit currency } }\"}";
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode counters = push(b.admin(), query);
            assertThat(counters.get("clicks").asLong()).isGreaterThanOrEqualTo(1);
        });
        for (Role role : List.of(Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AFFILIATE, Role.ADVERTISER, Role.AUDITOR)) {
            JsonNode counters = push(a.keys.get(role), query);
            assertThat(counters.get("clicks").asLong()).as(role + " " + counters).isZero();
            assertThat(counters.get("currency").asText()).isEqualTo("EUR");
        }
        JsonNode admin = push(a.admin(), query);
        assertThat(admin.get("revenue").isTextual()).as(admin.toString()).isTrue();
        JsonNode affiliate = push(a.keys.get(Role.AFFILIATE), query);
        assertThat(affiliate.get("revenue").isNull()).as(affiliate.toString()).isTrue();
        assertThat(affiliate.get("profit").isNull()).as(affiliate.toString()).isTrue();
        assertThat(affiliate.get("payout").isTextual()).as(affiliate.toString()).isTrue();
        Response operator = BolaMatrixIT.firstPush(this, OPERATOR_KEY, query);
        assertThat(BolaMatrixIT.graphQlStatus(operator)).as(operator.body()).isEqualTo(403);
    }

    /** The first pushed counters of the subscription, read with this key (no errors). */
    private JsonNode push(String key, String query) {
        Response r = BolaMatrixIT.firstPush(this, key, query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("errors").isMissingNode()).as(r.body()).isTrue();
        return r.json().at("/data/todayCounters");
    }
}
