package io.affnet.sagas.payout;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.payout.PayoutSchedule;
import io.affnet.api.payout.PayoutTerms;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A tenant's payout terms from the {@code payout_terms} read model (PayoutProjection), or the defaults. */
@Component
public class PayoutTermsLookup {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Long>> LONGS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;

    public PayoutTermsLookup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public PayoutTerms of(String tenantId) {
        List<PayoutTerms> found = jdbc.query("""
                        SELECT default_hold_millis, offer_holds, schedule, net_days, minimums, negative_blocks
                        FROM payout_terms WHERE tenant_id = ?""",
                (rs, i) -> {
                    Map<String, Duration> holds = new HashMap<>();
                    read(rs.getString(2)).forEach((offer, millis) -> holds.put(offer, Duration.ofMillis(millis)));
                    return new PayoutTerms(Duration.ofMillis(rs.getLong(1)), holds, PayoutSchedule.valueOf(rs.getString(3)),
                            rs.getInt(4), read(rs.getString(5)), rs.getBoolean(6));
                }, tenantId);
        return found.isEmpty() ? PayoutTerms.defaults() : found.get(0);
    }

    private static Map<String, Long> read(String json) {
        try {
            return JSON.readValue(json, LONGS);
        } catch (IOException e) {
            throw new IllegalStateException("payout_terms holds invalid JSON", e);
        }
    }
}
