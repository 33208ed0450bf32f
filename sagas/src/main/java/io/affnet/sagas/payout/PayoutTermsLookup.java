package io.affnet.sagas.payout;

import io.affnet.api.payout.PayoutTerms;
import io.affnet.api.payout.PayoutTermsRow;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/** A tenant's payout terms from the {@code payout_terms} read model (PayoutSettingsView, read by PayoutTermsRow), or the defaults. */
@Component
public class PayoutTermsLookup {

    private final JdbcTemplate jdbc;

    public PayoutTermsLookup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public PayoutTerms of(String tenantId) {
        List<PayoutTerms> found = jdbc.query(PayoutTermsRow.SELECT, (rs, i) -> PayoutTermsRow.read(rs), tenantId);
        return found.isEmpty() ? PayoutTerms.defaults() : found.get(0);
    }
}
