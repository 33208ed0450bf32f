package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.EventRows;
import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows of the event table are edited, deleted, reordered and inserted behind the platform's back; the
 * verifier (through the API) names the first broken link at the tampered global position, and verifies
 * again once the row is put back.
 */
class AuditTamperIT extends PlatformIT {

    static AuditTenant t;

    @BeforeEach
    void tenant() {
        if (t == null) {
            t = new AuditTenant(this, "tamper");
            assertThat(send("GET", "/c/" + t.linkCode, null, null).status()).isEqualTo(302);
            assertThat(send("GET", "/c/" + t.linkCode, null, null).status()).isEqualTo(302);
        }
    }

    private JsonNode verify() {
        Response r = send("GET", "/api/v1/audit/verify", t.auditor, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** The rows around a position, for failure messages. */
    private String around(long position) {
        return jdbc.queryForList("""
                SELECT e.globalindex, e.payloadtype, e."timestamp", e.aggregateidentifier, e.sequencenumber, e.type,
                       convert_from(e.metadata, 'UTF8') AS meta, c.tenant_id, c.seq, encode(c.hash, 'hex') AS hash
                FROM domainevententry e FULL JOIN audit_chain c ON c.global_index = e.globalindex
                WHERE coalesce(e.globalindex, c.global_index) BETWEEN ? AND ? ORDER BY 1""", position - 3, position + 1).toString();
    }

    private List<Long> positions() {
        return jdbc.queryForList("SELECT global_index FROM audit_chain WHERE tenant_id = ? ORDER BY global_index", Long.class, t.tenantId);
    }

    private long positionOf(String payloadTypeSuffix) {
        return jdbc.queryForObject("""
                SELECT min(c.global_index) FROM audit_chain c JOIN domainevententry e ON e.globalindex = c.global_index
                WHERE c.tenant_id = ? AND e.payloadtype LIKE ?""", Long.class, t.tenantId, "%" + payloadTypeSuffix);
    }

    private void assertBrokenAt(long position, String reason) {
        JsonNode v = verify();
        assertThat(v.get("verified").asBoolean()).as(v.toString()).isFalse();
        assertThat(v.at("/broken/globalPosition").asLong()).as(v.toString()).isEqualTo(position);
        assertThat(v.at("/broken/reason").asText()).contains(reason);
    }

    private void assertVerified() {
        JsonNode v = verify();
        assertThat(v.get("verified").asBoolean()).as(v + " " + around(v.at("/broken/globalPosition").asLong())).isTrue();
        assertThat(v.get("line").asText()).startsWith("verified events=" + positions().size() + " tenants=1");
    }

    private Map<String, Object> row(long position) {
        return new EventRows(jdbc).event(position);
    }

    private void restore(Map<String, Object> r) {
        new EventRows(jdbc).putEvent(r);
    }

    private void put(Map<String, Object> r) {
        new EventRows(jdbc).putEvent(r);
    }

    private void restoreLink(Map<String, Object> link) {
        new EventRows(jdbc).putLink(link);
    }

    @Test
    void anUntouchedHistoryVerifiesWithItsSignedCheckpoint() {
        Response cp = send("POST", "/api/v1/audit/checkpoints", t.admin, null);
        assertThat(cp.status()).as(cp.body()).isEqualTo(201);
        assertThat(cp.json().get("checkpoints")).hasSize(1);
        assertThat(send("POST", "/api/v1/audit/checkpoints", t.admin, null).json().get("checkpoints"))
                .as("nothing new to sign").isEmpty();
        JsonNode v = verify();
        assertThat(v.get("verified").asBoolean()).as(v + " " + around(v.at("/broken/globalPosition").asLong())).isTrue();
        assertThat(v.get("checkpoints").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theCommandLineVerifierReadsTheDatabaseAndFindsTheSameBrokenLink() throws Exception {
        assertThat(cli("--tenant", t.tenantId)).startsWith("verified events=" + positions().size() + " tenants=1");
        long offer = positionOf("OfferCreatedEvent");
        Map<String, Object> original = row(offer);
        jdbc.update("UPDATE domainevententry SET \"timestamp\" = '2021-01-01T00:00:00.000Z' WHERE globalindex = ?", offer);
        try {
            assertThat(cli("--tenant", t.tenantId)).startsWith("broken global_position=" + offer + " tenant=" + t.tenantId);
        } finally {
            put(original);
        }
    }

    /** {@code ./affnet audit verify} as the script runs it, against the test database (AFFNET_DB_URL). */
    private static String cli(String... args) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = AuditVerifyMain.run(args, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        String line = out.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(code).as(line).isEqualTo(line.startsWith("verified") ? 0 : 1);
        return line;
    }

    @Test
    void anEditedPayloadIsFoundAtItsPosition() {
        long offer = positionOf("OfferCreatedEvent");
        Map<String, Object> original = row(offer);
        jdbc.update("UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '\"EUR\"', '\"USD\"'), 'UTF8') "
                + "WHERE globalindex = ?", offer);
        try {
            assertBrokenAt(offer, "does not match its chain hash");
        } finally {
            put(original);
        }
        assertVerified();
    }

    @Test
    void editedMetadataAndTimestampAreFound() {
        long advertiser = positionOf("AdvertiserCreatedEvent");
        Map<String, Object> original = row(advertiser);
        jdbc.update("UPDATE domainevententry SET metadata = convert_to(replace(convert_from(metadata, 'UTF8'), 'TENANT_ADMIN', 'OPERATOR'), 'UTF8') "
                + "WHERE globalindex = ?", advertiser);
        try {
            assertBrokenAt(advertiser, "does not match its chain hash");
        } finally {
            put(original);
        }
        jdbc.update("UPDATE domainevententry SET \"timestamp\" = '2020-01-01T00:00:00.000Z' WHERE globalindex = ?", advertiser);
        try {
            assertBrokenAt(advertiser, "does not match its chain hash");
        } finally {
            put(original);
        }
        assertVerified();
    }

    @Test
    void aDeletedEventIsFound() {
        long offer = positionOf("OfferCreatedEvent");
        Map<String, Object> original = row(offer);
        jdbc.update("DELETE FROM domainevententry WHERE globalindex = ?", offer);
        try {
            assertBrokenAt(offer, "without its event");
        } finally {
            restore(original);
        }
        assertVerified();
    }

    @Test
    void aDeletedEventWithItsLinkIsFoundByTheNextLink() {
        long offer = positionOf("OfferCreatedEvent");
        Map<String, Object> original = row(offer);
        Map<String, Object> link = jdbc.queryForMap("SELECT * FROM audit_chain WHERE global_index = ?", offer);
        jdbc.update("DELETE FROM domainevententry WHERE globalindex = ?", offer);
        jdbc.update("DELETE FROM audit_chain WHERE global_index = ?", offer);
        long next = positions().stream().filter(p -> p > offer).findFirst().orElseThrow();
        try {
            assertBrokenAt(next, "chain jumps");
        } finally {
            restore(original);
            restoreLink(link);
        }
        assertVerified();
    }

    @Test
    void reorderedEventsAreFound() {
        long advertiser = positionOf("AdvertiserCreatedEvent");
        long offer = positionOf("OfferCreatedEvent");
        swap(advertiser, offer);
        try {
            assertBrokenAt(Math.min(advertiser, offer), "does not match its chain hash");
        } finally {
            swap(advertiser, offer);
        }
        assertVerified();
    }

    private void swap(long x, long y) {
        jdbc.update("UPDATE domainevententry SET globalindex = -1 WHERE globalindex = ?", x);
        jdbc.update("UPDATE domainevententry SET globalindex = ? WHERE globalindex = ?", x, y);
        jdbc.update("UPDATE domainevententry SET globalindex = ? WHERE globalindex = -1", y);
    }

    @Test
    void anInsertedEventIsFound() {
        long offer = positionOf("OfferCreatedEvent");
        Long forged = jdbc.queryForObject("""
                INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata, payload,
                                              payloadrevision, payloadtype, "timestamp")
                SELECT aggregateidentifier || '-forged', sequencenumber, type, eventidentifier || '-forged', metadata, payload,
                       payloadrevision, payloadtype, "timestamp"
                FROM domainevententry WHERE globalindex = ? RETURNING globalindex""", Long.class, offer);
        try {
            assertBrokenAt(forged, "has no chain link");
        } finally {
            jdbc.update("DELETE FROM domainevententry WHERE globalindex = ?", forged);
        }
        assertVerified();
    }

    @Test
    void theNewestEventRemovedWithItsLinkIsFoundByTheHead() {
        List<Long> all = positions();
        long newest = all.get(all.size() - 1);
        Map<String, Object> original = row(newest);
        Map<String, Object> link = jdbc.queryForMap("SELECT * FROM audit_chain WHERE global_index = ?", newest);
        jdbc.update("DELETE FROM domainevententry WHERE globalindex = ?", newest);
        jdbc.update("DELETE FROM audit_chain WHERE global_index = ?", newest);
        try {
            assertBrokenAt(newest, "newest events removed");
        } finally {
            restore(original);
            restoreLink(link);
        }
        assertVerified();
    }
}
