package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuditHistoryIT extends PlatformIT {

    static AuditTenant a;
    static AuditTenant b;

    @BeforeEach
    void tenants() {
        if (a == null) {
            a = new AuditTenant(this, "audit-a");
            b = new AuditTenant(this, "audit-b");
            assertThat(send("GET", "/c/" + a.linkCode, null, null).status()).isEqualTo(302);
        }
    }

    @Test
    void auditorReadsOwnEventsInCommitOrderWithWhoAndThroughWhat() {
        Response r = send("GET", "/api/v1/audit/events?limit=1000", a.auditor, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> events = list(r.json().get("events"));
        assertThat(events).extracting(e -> e.get("type").asText())
                .contains("TenantRegisteredEvent", "AdvertiserCreatedEvent", "OfferCreatedEvent", "ClickRecordedEvent");
        long previous = 0;
        long seq = 0;
        for (JsonNode e : events) {
            assertThat(e.get("globalPosition").asLong()).isGreaterThan(previous);
            previous = e.get("globalPosition").asLong();
            assertThat(e.at("/chain/seq").asLong()).isGreaterThan(seq);
            seq = e.at("/chain/seq").asLong();
            assertThat(e.at("/chain/hash").asText()).hasSize(64);
            assertThat(e.at("/chain/tenantId").asText()).isEqualTo(a.tenantId);
        }
        JsonNode offer = events.stream().filter(e -> e.get("type").asText().equals("OfferCreatedEvent")).findFirst().orElseThrow();
        assertThat(offer.get("aggregateId").asText()).isEqualTo(a.offerId);
        assertThat(offer.at("/actor/role").asText()).isEqualTo("TENANT_ADMIN");
        assertThat(offer.at("/actor/via").asText()).isEqualTo("rest");
        assertThat(offer.at("/actor/keyId").asText()).isNotBlank();
        assertThat(offer.at("/actor/requestId").asText()).isNotBlank();
        JsonNode click = events.stream().filter(e -> e.get("type").asText().equals("ClickRecordedEvent")).findFirst().orElseThrow();
        assertThat(click.at("/actor/via").asText()).isEqualTo("click");
        assertThat(click.at("/payload/ipHash").asText()).as("the auditor sees personal fields").isNotBlank();
        assertThat(r.body()).doesNotContain(b.tenantId).doesNotContain(b.offerId);
    }

    @Test
    void pagesFollowTheCursorWithoutOverlapAndFiltersNarrow() {
        Set<Long> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Response r = send("GET", "/api/v1/audit/events?limit=3" + (cursor == null ? "" : "&after=" + cursor), a.auditor, null);
            assertThat(r.status()).isEqualTo(200);
            for (JsonNode e : r.json().get("events")) {
                assertThat(seen.add(e.get("globalPosition").asLong())).as("no event twice").isTrue();
            }
            cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 100);
        Response all = send("GET", "/api/v1/audit/events?limit=1000", a.auditor, null);
        assertThat(seen).hasSize(all.json().get("events").size()).hasSizeGreaterThan(6);

        Response offers = send("GET", "/api/v1/audit/events?type=OfferCreatedEvent,AffiliateCreatedEvent", a.auditor, null);
        assertThat(list(offers.json().get("events"))).extracting(e -> e.get("type").asText())
                .containsExactlyInAnyOrder("OfferCreatedEvent", "AffiliateCreatedEvent");
        Response byAggregate = send("GET", "/api/v1/audit/events?aggregateType=Offer&aggregateId=" + a.offerId, a.auditor, null);
        assertThat(list(byAggregate.json().get("events"))).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("aggregateId").asText()).isEqualTo(a.offerId));
        JsonNode first = all.json().get("events").get(0);
        Response none = send("GET", "/api/v1/audit/events?to=" + first.get("timestamp").asText(), a.auditor, null);
        assertThat(none.json().get("events")).isEmpty();
        Response actor = send("GET", "/api/v1/audit/events?actor=nobody-at-all", a.auditor, null);
        assertThat(actor.json().get("events")).isEmpty();
    }

    @Test
    void ndjsonExportStreamsEveryEventWithItsStoredFormAndVerifiesOffline() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/events"))
                .header("Authorization", "Bearer " + a.auditor).header("Accept", "application/x-ndjson").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        String[] lines = r.body().split("\n");
        Response all = send("GET", "/api/v1/audit/events?limit=1000", a.auditor, null);
        assertThat(lines).hasSize(all.json().get("events").size());
        JsonNode line = JSON.readTree(lines[0]);
        assertThat(line.at("/stored/payload").asText()).isNotEmpty();
        assertThat(new String(Base64.getDecoder().decode(line.at("/stored/payload").asText()))).contains(a.tenantId);

        ChainVerifier.Result offline = OfflineVerifier.verify(List.of(lines), AuditKeys.fromSeeds(AuditConfiguration.DEVELOPMENT_KEYS, null));
        assertThat(offline.line()).startsWith("verified events=" + lines.length + " tenants=1");
    }

    @Test
    void operatorReadsAnyTenantWithoutPersonalFieldsAndTheReadIsRecorded() throws IOException {
        Response r = send("GET", "/api/v1/audit/events.ndjson?tenantId=" + a.tenantId + "&type=ClickRecordedEvent", OPERATOR_KEY, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode click = JSON.readTree(r.body().split("\n")[0]);
        assertThat(click.at("/payload").has("ipHash")).isFalse();
        assertThat(click.at("/payload/clickId").asText()).isNotBlank();
        assertThat(click.at("/stored/payloadSha256").asText()).hasSize(64);
        assertThat(click.at("/stored").has("payload")).isFalse();

        Response recorded = send("GET", "/api/v1/audit/events?type=AuditHistoryReadEvent", a.auditor, null);
        assertThat(list(recorded.json().get("events"))).anySatisfy(e -> {
            assertThat(e.at("/payload/principalId").asText()).isEqualTo("operator");
            assertThat(e.at("/payload/what").asText()).contains("/api/v1/audit/events.ndjson");
        });
        Response other = send("GET", "/api/v1/audit/events?type=AuditHistoryReadEvent", b.auditor, null);
        assertThat(other.json().get("events")).isEmpty();
    }

    @Test
    void refusesBadInputAndOtherTenantsWithProblems() {
        Response noTenant = send("GET", "/api/v1/audit/events", OPERATOR_KEY, null);
        assertThat(noTenant.status()).isEqualTo(400);
        assertThat(noTenant.contentType()).startsWith("application/problem+json");
        assertThat(send("GET", "/api/v1/audit/events?tenantId=" + b.tenantId, a.admin, null).status()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/audit/events?tenantId=t_unknown", OPERATOR_KEY, null).status()).isEqualTo(404);
        for (String bad : List.of("from=yesterday", "after=-1", "after=x", "limit=0", "limit=5000", "type=%00",
                "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "aggregateId=%0a")) {
            Response r = send("GET", "/api/v1/audit/events?" + bad, a.auditor, null);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.contentType()).as(bad).startsWith("application/problem+json");
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
