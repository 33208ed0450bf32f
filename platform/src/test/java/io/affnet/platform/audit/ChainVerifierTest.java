package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.audit.AuditCheckpointSignedEvent;
import io.affnet.platform.config.JsonConfiguration;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChainVerifierTest {

    static final ObjectMapper JSON = JsonConfiguration.storageMapper();
    static final AuditKeys KEYS = AuditKeys.fromSeeds("k1:" + Base64.getEncoder().encodeToString(new byte[32])
            + ",k2:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)), "k2");

    record Row(StoredEvent event, AuditChainStore.Link link) {
    }

    static StoredEvent event(long index, String tenant, String body) {
        return new StoredEvent(index, "e" + index, "Offer", "o" + index, 0, "2026-12-06T10:00:00.000Z", "io.affnet.X", "1",
                ("{\"tenantId\":\"" + tenant + "\",\"v\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8),
                ("{\"tenantId\":\"" + tenant + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** Events of two tenants, interleaved, chained as the engine chains them, with a checkpoint of t1 at the end. */
    static List<Row> history(AuditKeys signer) throws Exception {
        List<Row> rows = new ArrayList<>();
        byte[] h1 = ChainHash.genesis("t1");
        byte[] h2 = ChainHash.genesis("t2");
        long s1 = 0;
        long s2 = 0;
        for (int i = 1; i <= 6; i++) {
            boolean first = i % 2 == 1;
            StoredEvent e = event(i, first ? "t1" : "t2", "v" + i);
            if (first) {
                h1 = ChainHash.next(h1, e);
                rows.add(new Row(e, new AuditChainStore.Link(i, "t1", ++s1, h1)));
            } else {
                h2 = ChainHash.next(h2, e);
                rows.add(new Row(e, new AuditChainStore.Link(i, "t2", ++s2, h2)));
            }
        }
        Instant at = Instant.parse("2026-12-06T11:00:00.123456Z");
        String hash = ChainHash.hex(h1);
        AuditCheckpointSignedEvent cp = new AuditCheckpointSignedEvent("t1", s1, hash, 5, signer.activeId(),
                signer.sign(AuditKeys.signedBytes("t1", s1, hash, 5, at)), at);
        StoredEvent ce = new StoredEvent(7, "e7", null, "e7", 0, "2026-12-06T11:00:00.123Z", AuditCheckpointSignedEvent.class.getName(),
                "1", JSON.writeValueAsBytes(cp), "{\"tenantId\":\"t1\"}".getBytes(StandardCharsets.UTF_8));
        rows.add(new Row(ce, new AuditChainStore.Link(7, "t1", s1 + 1, ChainHash.next(h1, ce))));
        return rows;
    }

    static ChainVerifier.Result verify(List<Row> rows) {
        ChainVerifier v = new ChainVerifier(null, KEYS, JSON);
        rows.forEach(r -> v.accept(r.event(), r.link()));
        return v.result();
    }

    @Test
    void anIntactHistoryWithASignedCheckpointVerifies() throws Exception {
        ChainVerifier.Result r = verify(history(KEYS));
        assertThat(r.line()).isEqualTo("verified events=7 tenants=2 checkpoints=1");
    }

    @Test
    void aRotatedOutKeyStillVerifiesItsCheckpoints() throws Exception {
        AuditKeys old = AuditKeys.fromSeeds("k1:" + Base64.getEncoder().encodeToString(new byte[32]), null);
        assertThat(verify(history(old)).verified()).isTrue();
    }

    @Test
    void aCheckpointSignedByAnUnknownKeyIsRefused() throws Exception {
        AuditKeys stranger = AuditKeys.fromSeeds("k1:" + Base64.getEncoder().encodeToString(new byte[]{
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}), null);
        ChainVerifier.Result r = verify(history(stranger));
        assertThat(r.broken().globalIndex()).isEqualTo(7);
        assertThat(r.broken().reason()).contains("signature does not verify");
    }

    /** An attacker who edits an event and recomputes every later hash is caught by the signed checkpoint. */
    @Test
    void anEditedHistoryWithRecomputedHashesIsCaughtByTheCheckpoint() throws Exception {
        List<Row> rows = history(KEYS);
        List<Row> forged = new ArrayList<>();
        byte[] h1 = ChainHash.genesis("t1");
        for (Row r : rows) {
            if (!r.link().tenantId().equals("t1")) {
                forged.add(r);
                continue;
            }
            StoredEvent e = r.event().globalIndex() == 3 ? event(3, "t1", "forged") : r.event();
            h1 = ChainHash.next(h1, e);
            forged.add(new Row(e, new AuditChainStore.Link(r.link().globalIndex(), "t1", r.link().seq(), h1)));
        }
        ChainVerifier.Result result = verify(forged);
        assertThat(result.broken().globalIndex()).isEqualTo(7);
        assertThat(result.broken().reason()).contains("does not sign the link before it");
    }

    @Test
    void aWithheldPayloadVerifiesByItsDigest() throws Exception {
        List<Row> rows = history(KEYS);
        ChainVerifier v = new ChainVerifier(null, KEYS, JSON);
        for (Row r : rows) {
            if (r.event().globalIndex() == 2) {
                StoredEvent e = r.event();
                StoredEvent withheld = new StoredEvent(e.globalIndex(), e.eventId(), e.aggregateType(), e.aggregateId(), e.sequence(),
                        e.timestamp(), e.payloadType(), e.payloadRevision(), null, e.metadata());
                v.accept(withheld, ChainHash.sha256(e.payload()), r.link());
            } else {
                v.accept(r.event(), r.link());
            }
        }
        assertThat(v.result().verified()).isTrue();
    }

    @Test
    void aLinkOfAnotherTenantDoesNotPassForThisOne() throws Exception {
        List<Row> rows = history(KEYS);
        Row moved = rows.get(1);
        rows.set(1, new Row(moved.event(), new AuditChainStore.Link(2, "t1", 2, moved.link().hash())));
        ChainVerifier.Result r = verify(rows);
        assertThat(r.broken().globalIndex()).isEqualTo(2);
    }
}
