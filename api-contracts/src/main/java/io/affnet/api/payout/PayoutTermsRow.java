package io.affnet.api.payout;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The one reading of a {@code payout_terms} row (written by PayoutSettingsView) as {@link PayoutTerms}, shared
 * by every reader: the ledger intake (holds), the payout-run preview (minimums, negative-balance rule) and
 * {@code GET /api/v1/payout-terms}. Holds are stored in milliseconds, minimums in minor units, both as JSON objects.
 */
public final class PayoutTermsRow {

    /** Selects the columns {@link #read} expects; one parameter, the tenant id. */
    public static final String SELECT = """
            SELECT default_hold_millis, offer_holds, schedule, net_days, minimums, negative_blocks
            FROM payout_terms WHERE tenant_id = ?""";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Long>> LONGS = new TypeReference<>() {
    };

    private PayoutTermsRow() {
    }

    /** The terms in the current row of a result of {@link #SELECT}. */
    public static PayoutTerms read(ResultSet rs) throws SQLException {
        Map<String, Duration> holds = new HashMap<>();
        longs(rs.getString(2)).forEach((offer, millis) -> holds.put(offer, Duration.ofMillis(millis)));
        return new PayoutTerms(Duration.ofMillis(rs.getLong(1)), holds, PayoutSchedule.valueOf(rs.getString(3)),
                rs.getInt(4), longs(rs.getString(5)), rs.getBoolean(6));
    }

    private static Map<String, Long> longs(String json) throws SQLException {
        try {
            return JSON.readValue(json, LONGS);
        } catch (IOException e) {
            throw new SQLException("payout_terms holds invalid JSON", e);
        }
    }
}
