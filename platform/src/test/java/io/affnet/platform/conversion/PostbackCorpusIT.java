package io.affnet.platform.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Postbacks in the shapes advertisers send to TUNE/HasOffers, Everflow, Voluum, Keitaro and Binom
 * (src/test/resources/postbacks/corpus.json), each with the answer and payout it must get. Cases
 * marked {@code same:<id>} report again on the click of an earlier case.
 */
class PostbackCorpusIT extends PlatformIT {

    @Test
    void everyPostbackOfTheCorpusGetsItsExpectedOutcome() throws Exception {
        JsonNode corpus;
        try (InputStream in = getClass().getResourceAsStream("/postbacks/corpus.json")) {
            corpus = JSON.readTree(in);
        }
        assertThat(corpus.size()).isGreaterThanOrEqualTo(40);

        Traffic t = Traffic.tenant(this, "corpus", false);
        String offer = t.create("/api/v1/offers", """
                {"name":"Corpus offer","advertiserId":"%s","destinationUrl":"https://shop.example/?cid={click_id}",
                 "currency":"EUR","status":"ACTIVE",
                 "goals":[{"name":"lead","revenue":{"amount":"3.00","currency":"EUR"},"payout":{"amount":"2.00","currency":"EUR"}},
                          {"name":"sale","revenue":{"percent":"10"},"payout":{"percent":"7"}},
                          {"name":"install","revenue":{"amount":"2.50","currency":"EUR"},"payout":{"amount":"1.50","currency":"EUR"}}]}"""
                .formatted(t.advertiserId));
        String code = t.link(t.affiliate("a@example.com", "[]"), offer);

        Map<String, String> clicks = new HashMap<>();
        Map<String, Long> platforms = new HashMap<>();
        for (JsonNode c : corpus) {
            String id = c.get("id").asText();
            String mode = c.get("click").asText();
            String click = switch (mode.contains(":") ? mode.substring(0, mode.indexOf(':')) : mode) {
                case "new" -> t.clickId(code);
                case "same" -> clicks.get(mode.substring(5));
                default -> null;
            };
            clicks.put(id, click);
            platforms.merge(c.get("platform").asText(), 1L, Long::sum);
            String query = c.get("query").asText().replace("{CLICK}", click == null ? "" : click);
            long before = eventsButTheLedgers();
            Response r = t.postback(query);

            assertThat(r.status()).as("%s (%s): %s", id, c.get("platform").asText(), r.body()).isEqualTo(c.get("status").asInt());
            if (r.status() == 200) {
                assertThat(r.body()).as(id).isEqualTo(c.get("answer").asText());
            } else {
                assertThat(r.contentType()).as(id).startsWith("application/problem+json");
                assertThat(eventsButTheLedgers()).as("%s writes nothing", id).isEqualTo(before);
            }
            if (c.hasNonNull("payoutMinor")) {
                JsonNode recorded = t.lastEvent(click, "io.affnet.api.conversion.ConversionRecordedEvent");
                assertThat(recorded.at("/payout/minor").asLong()).as("%s payout", id).isEqualTo(c.get("payoutMinor").asLong());
                assertThat(recorded.at("/payout/currency").asText()).as(id).isEqualTo("EUR");
            }
        }
        assertThat(platforms).containsKeys("TUNE", "Everflow", "Voluum", "Keitaro", "Binom");
    }

    /**
     * Every event but the ledger's: the ledger books each accepted conversion asynchronously (its intake
     * sends commands after the conversion's commit), so its events may land while a later, refused
     * postback of the corpus is being checked.
     */
    private long eventsButTheLedgers() {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE payloadtype NOT LIKE 'io.affnet.api.ledger.%'",
                Long.class);
    }

    @Test
    void aFormEncodedPostIsReadLikeAQueryString() throws Exception {
        Traffic t = Traffic.tenant(this, "form", false);
        String code = t.link(t.affiliate("a@example.com", "[]"), t.offer("null", 86400));
        String click = t.clickId(code);
        java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base + "/postback"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("click_id=" + click + "&txn_id=F-1&goal=lead&token=" + t.token))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("accepted");
    }
}
