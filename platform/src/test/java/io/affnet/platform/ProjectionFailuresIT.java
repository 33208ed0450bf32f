package io.affnet.platform;

import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A projection's write that fails for a while is retried until it lands; one that can never land is
 * skipped (or dead-lettered) and its processor goes on (issue 17). The failures come from the real
 * PostgreSQL: a trigger on the view's table raises the SQL state a row of {@code it_projection_fault}
 * names for this tenant's rows (40001, a serialization failure, is transient; 22001 and 23514 are not).
 * <p>
 * Before: Axon's default error handler logged a failed handler and went on (a view row lost to a
 * hiccup), and {@code core-views}' dead-letter queue parked a transiently failed event for good.
 */
class ProjectionFailuresIT extends PlatformIT {

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void faultTrigger() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS it_projection_fault (tenant_id text NOT NULL, match text, sqlstate text NOT NULL)");
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION it_projection_fault() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE f record;
                BEGIN
                  FOR f IN SELECT * FROM it_projection_fault WHERE tenant_id = NEW.tenant_id LOOP
                    IF f.match IS NULL OR position(f.match in to_jsonb(NEW)::text) > 0 THEN
                      RAISE EXCEPTION 'injected by ProjectionFailuresIT' USING ERRCODE = f.sqlstate;
                    END IF;
                  END LOOP;
                  RETURN NEW;
                END $$""");
        for (String table : new String[]{"config_entity", "affiliate_commission"}) {
            jdbc.execute("DROP TRIGGER IF EXISTS it_fault ON " + table);
            jdbc.execute("CREATE TRIGGER it_fault BEFORE INSERT OR UPDATE ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION it_projection_fault()");
        }
    }

    @AfterEach
    void noFaults() {
        for (String table : new String[]{"config_entity", "affiliate_commission"}) {
            jdbc.execute("DROP TRIGGER IF EXISTS it_fault ON " + table);
        }
        jdbc.execute("DROP TABLE IF EXISTS it_projection_fault");
    }

    private void fault(String tenantId, String match, String sqlState) {
        jdbc.update("INSERT INTO it_projection_fault (tenant_id, match, sqlstate) VALUES (?, ?, ?)", tenantId, match, sqlState);
    }

    private void heal(String tenantId) {
        jdbc.update("DELETE FROM it_projection_fault WHERE tenant_id = ?", tenantId);
    }

    private int configRows(String tenantId, String id) {
        return jdbc.queryForObject("SELECT count(*) FROM config_entity WHERE tenant_id = ? AND id = ?", Integer.class, tenantId, id);
    }

    private double skipped(String group, String event, String outcome) {
        Counter counter = meters.find("affnet.projection.skipped").tag("group", group).tag("event", event)
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private long advertiserEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%AdvertiserCreatedEvent'", Long.class);
    }

    /**
     * {@code config_entity} is written in the command's own transaction (the command side reads it): a
     * transient failure of that write fails the command, which answers 503 with {@code Retry-After} and
     * stores nothing; the client's retry once the store is back stores the advertiser and its row. (Axon's
     * default stored the event and went on without the row.)
     */
    @Test
    void aSynchronousViewsTransientFailureFailsItsCommandWhole() {
        Traffic t = Traffic.tenant(this, "pf-config", false);
        fault(t.tenantId, null, "40001");
        long eventsBefore = advertiserEvents();
        Response refused = send("POST", "/api/v1/advertisers", t.key, "{\"name\":\"Retry GmbH\",\"defaultCurrency\":\"EUR\"}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("nothing was changed");
        assertThat(advertiserEvents()).as("nothing stored").isEqualTo(eventsBefore);

        heal(t.tenantId);
        String advertiser = t.create("/api/v1/advertisers", "{\"name\":\"Retry GmbH\",\"defaultCurrency\":\"EUR\"}");
        assertThat(configRows(t.tenantId, advertiser)).isEqualTo(1);
    }

    private int commissions(String tenantId, String offerId) {
        return jdbc.queryForObject("SELECT count(*) FROM affiliate_commission WHERE tenant_id = ? AND offer_id = ?",
                Integer.class, tenantId, offerId);
    }

    private int deadLetters(String clickId) {
        return jdbc.queryForObject("SELECT count(*) FROM deadletterentry WHERE processinggroup = 'core-views' AND sequenceidentifier = ?",
                Integer.class, clickId);
    }

    @Test
    void aCommissionArrivesAfterItsWriteFailedForAWhileAndAPoisonOneIsDeadLettered() throws Exception {
        Traffic t = Traffic.tenant(this, "pf-core", false);
        String affiliate = t.affiliate("pf@example.com", "[]");
        String offer = t.offer("{}", 86_400);
        String poisonOffer = t.offer("{}", 86_400);
        String code = t.link(affiliate, offer);
        String poisonCode = t.link(affiliate, poisonOffer);

        // Transient: the commission waits for the store instead of being dead-lettered for good.
        fault(t.tenantId, null, "40001");
        String click = t.clickId(code);
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=pf-1").body()).startsWith("accepted");
        Thread.sleep(4_000);
        assertThat(commissions(t.tenantId, offer)).isZero();
        assertThat(deadLetters(click)).as("a transient failure is not dead-lettered").isZero();
        heal(t.tenantId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(commissions(t.tenantId, offer)).isEqualTo(1));
        assertThat(deadLetters(click)).isZero();

        // Deterministic: that click's sequence is dead-lettered, the others go on.
        double deadBefore = skipped("core-views", "ConversionRecordedEvent", "dead-lettered");
        fault(t.tenantId, poisonOffer, "23514");
        String poisonClick = t.clickId(poisonCode);
        assertThat(t.postback("click_id=" + poisonClick + "&goal=lead&txn_id=pf-2").body()).startsWith("accepted");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetters(poisonClick)).isEqualTo(1));
        assertThat(skipped("core-views", "ConversionRecordedEvent", "dead-lettered")).isEqualTo(deadBefore + 1);

        String healthyClick = t.clickId(code);
        assertThat(t.postback("click_id=" + healthyClick + "&goal=lead&txn_id=pf-3").body()).startsWith("accepted");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(commissions(t.tenantId, offer)).isEqualTo(2));
        assertThat(commissions(t.tenantId, poisonOffer)).isZero();
    }
}
