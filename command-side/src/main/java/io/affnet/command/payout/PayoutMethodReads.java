package io.affnet.command.payout;

import io.affnet.api.config.ConfigEntityKinds;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** What the payout-method API reads ({@code payout_method}, {@code config_entity}), so the controller holds no SQL. */
@Repository
public class PayoutMethodReads {

    private final JdbcTemplate jdbc;

    public PayoutMethodReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean methodExists(String tenantId, String affiliateId, String methodId) {
        Integer known = jdbc.queryForObject(
                "SELECT count(*) FROM payout_method WHERE tenant_id = ? AND affiliate_id = ? AND method_id = ?",
                Integer.class, tenantId, affiliateId, methodId);
        return known != null && known > 0;
    }

    boolean affiliateExists(String tenantId, String affiliateId) {
        Integer known = jdbc.queryForObject("SELECT count(*) FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?",
                Integer.class, tenantId, ConfigEntityKinds.AFFILIATE, affiliateId);
        return known != null && known > 0;
    }
}
