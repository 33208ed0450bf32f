package io.affnet.platform.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FastInstantDeserializerTest {

    private final ObjectMapper storage = JsonConfiguration.storageMapper();
    private final ObjectMapper jackson = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void readsTheCanonicalFormExactlyAsInstantParseDoes() {
        SplittableRandom random = new SplittableRandom(3);
        long from = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(from + random.nextLong(to - from), random.nextInt(1_000_000_000));
            int digits = random.nextInt(10);
            String text = withFraction(instant, digits);
            assertThat(FastInstantDeserializer.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
        assertThat(FastInstantDeserializer.parse("2026-11-25T15:28:45.849749540Z"))
                .isEqualTo(Instant.parse("2026-11-25T15:28:45.849749540Z"));
        assertThat(FastInstantDeserializer.parse("2024-02-29T23:59:59Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
        assertThat(FastInstantDeserializer.parse("1970-01-01T00:00:00Z")).isEqualTo(Instant.EPOCH);
    }

    @Test
    void leavesEveryOtherFormToJacksonWhichAnswersAsBefore() throws Exception {
        for (String json : new String[]{"\"2026-11-25T15:28:45+01:00\"", "\"2026-11-25T15:28:45.5+05:30\"", "1700000000.123456789",
                "1700000000", "\"2026-11-25T15:28Z\"", "\"+12026-11-25T15:28:45Z\"", "\"2026-11-25T15:28:45.Z\""}) {
            Object expected;
            try {
                expected = jackson.readValue(json, Instant.class);
            } catch (Exception e) {
                expected = e.getClass();
            }
            Object actual;
            try {
                actual = storage.readValue(json, Instant.class);
            } catch (Exception e) {
                actual = e.getClass();
            }
            assertThat(actual).as(json).isEqualTo(expected);
        }
        for (String text : new String[]{"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T24:00:00Z",
                "2026-11-25T23:60:00Z", "2026-11-25T23:59:60Z", "2026-11-25T15:28:45.1234567890Z", "2026-11-25 15:28:45Z",
                "2026-11-25T15:28:4xZ", "2026-11-25T15:28:45", "2026-11-25T15:28:45.Z"}) {
            assertThat(FastInstantDeserializer.parse(text)).as(text).isNull();
        }
        assertThatThrownBy(() -> storage.readValue("\"2026-02-30T00:00:00Z\"", Instant.class)).isInstanceOf(Exception.class);
    }

    @Test
    void theStorageMapperUsesIt() throws Exception {
        record Stamped(String id, Instant at) {
        }
        Stamped read = storage.readValue("{\"id\":\"x\",\"at\":\"2026-11-25T15:28:45.849749540Z\"}", Stamped.class);
        assertThat(read.at()).isEqualTo(Instant.parse("2026-11-25T15:28:45.849749540Z"));
        assertThat(storage.readValue(storage.writeValueAsString(read), Stamped.class)).isEqualTo(read);
    }

    private static String withFraction(Instant instant, int digits) {
        String base = Instant.ofEpochSecond(instant.getEpochSecond()).toString(); // ...:ssZ
        if (digits == 0) {
            return base;
        }
        String nanos = String.format("%09d", instant.getNano()).substring(0, digits);
        return base.substring(0, base.length() - 1) + "." + nanos + "Z";
    }
}
