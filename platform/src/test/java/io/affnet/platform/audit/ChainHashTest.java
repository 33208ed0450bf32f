package io.affnet.platform.audit;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain's hash must never change for the same stored event: chains written before (and exports held by
 * auditors) are verified with this code. The vectors below were computed with the first implementation
 * (canonical bytes built in a buffer, a fresh digest per call); the current one feeds the fields to a
 * per-thread digest and must give the same links.
 */
class ChainHashTest {

    static final byte[] PAYLOAD = "{\"tenantId\":\"t1\",\"clickId\":\"c1\",\"city\":\"Zürich\"}".getBytes(StandardCharsets.UTF_8);
    static final byte[] META = "{\"tenantId\":\"t1\"}".getBytes(StandardCharsets.UTF_8);
    static final StoredEvent CLICK = new StoredEvent(1, "ev-1", "Click", "c1", 0, "2026-12-07T00:00:00.123Z",
            "io.affnet.api.click.ClickRecordedEvent", "1", PAYLOAD, META);
    /** No aggregate (its id is the event id), no revision, empty payload, no metadata. */
    static final StoredEvent BARE = new StoredEvent(2, "ev-2", null, "ev-2", 0, "2026-12-07T00:00:01.000Z", "io.affnet.api.Foo",
            null, new byte[0], null);

    @Test
    void links_are_those_of_the_first_implementation() throws Exception {
        byte[] h = ChainHash.genesis("t_ü");
        assertThat(ChainHash.hex(h)).isEqualTo("d082a8642e2cb1ba4147dfd9fced6f78909de1880fb099a35e4607525a3e65f8");
        h = ChainHash.next(h, CLICK);
        assertThat(ChainHash.hex(h)).isEqualTo("4747489c72f12d0894f98f1a7e2ef1a0d7c17b2efed03398f4576c936c6ddbd1");
        h = ChainHash.next(h, BARE);
        assertThat(ChainHash.hex(h)).isEqualTo("62fe3b9a1886b237acbe2ff11509c1daec42e17ae3df3210941af75a41f3f2b6");
        // A withheld payload: known by its digest only.
        h = ChainHash.next(h, CLICK, ChainHash.sha256(PAYLOAD), ChainHash.sha256(new byte[0]));
        assertThat(ChainHash.hex(h)).isEqualTo("b47cbb1def1ebfde93da806a2acbdf3af5eae0659fdaaab6bafc5abd0ad269e4");
    }

    @Test
    void a_link_is_the_digest_of_the_previous_hash_and_the_canonical_bytes() throws Exception {
        Random random = new Random(19);
        byte[] previous = ChainHash.genesis("t1");
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[random.nextInt(3000)];
            random.nextBytes(payload);
            StoredEvent e = new StoredEvent(i, "ev-" + i, i % 3 == 0 ? null : "Click", i % 5 == 0 ? "ev-" + i : "agg-" + i, i,
                    "2026-12-07T00:00:0" + (i % 10) + ".123Z", "T" + i, i % 2 == 0 ? null : "1", payload,
                    i % 4 == 0 ? null : ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous);
            sha.update(ChainHash.canonical(e, MessageDigest.getInstance("SHA-256").digest(payload),
                    MessageDigest.getInstance("SHA-256").digest(e.metadata() == null ? new byte[0] : e.metadata())));
            byte[] expected = sha.digest();
            byte[] actual = ChainHash.next(previous, e);
            assertThat(actual).isEqualTo(expected);
            previous = actual;
        }
    }

    @Test
    void threads_hashing_at_once_get_the_same_links() throws Exception {
        byte[] expected = ChainHash.next(ChainHash.genesis("t1"), CLICK);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        if (!java.util.Arrays.equals(expected, ChainHash.next(ChainHash.genesis("t1"), CLICK))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_stored_time_of_a_click_is_what_axon_writes_and_reads_back() {
        Random random = new Random(7);
        List<Instant> instants = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-12-07T00:51:14.373981111Z"),
                Instant.parse("2026-12-07T00:51:14.999999999Z"), Instant.parse("1969-12-31T23:59:59.999500Z"),
                Instant.parse("0000-01-01T00:00:00.000001Z"), Instant.parse("9999-12-31T23:59:59.999999999Z")));
        for (int i = 0; i < 10_000; i++) {
            // the years 0000-9999
            instants.add(Instant.ofEpochSecond(-62_167_219_200L + Math.floorMod(random.nextLong(), 62_167_219_200L + 253_402_300_800L),
                    random.nextInt(1_000_000_000)));
        }
        for (Instant t : instants) {
            assertThat(ChainedEventStorageEngine.storedTime(t)).as(t.toString())
                    .isEqualTo(DateTimeUtils.parseInstant(DateTimeUtils.formatInstant(t)));
        }
    }
}
