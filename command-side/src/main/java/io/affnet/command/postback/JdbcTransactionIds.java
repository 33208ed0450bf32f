package io.affnet.command.postback;

import io.affnet.api.common.TenantId;
import io.affnet.domain.click.TransactionIds;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Transaction ids in {@code conversion_txn}, unique per (tenant, offer, goal, id). The insert runs in
 * the conversion's transaction: a concurrent claim of the same id waits for it and then finds it taken.
 */
public class JdbcTransactionIds implements TransactionIds {

    private final JdbcTemplate jdbc;

    public JdbcTransactionIds(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean claim(TenantId tenant, String offerId, String goal, String transactionId, String clickId,
                         String conversionId) {
        return jdbc.update("""
                        INSERT INTO conversion_txn (tenant_id, offer_id, goal, transaction_id, click_id, conversion_id)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                tenant.value(), offerId, goal, transactionId, clickId, conversionId) == 1;
    }

    @Override
    public boolean claimed(TenantId tenant, String offerId, String goal, String transactionId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                        SELECT EXISTS (SELECT 1 FROM conversion_txn
                                       WHERE tenant_id = ? AND offer_id = ? AND goal = ? AND transaction_id = ?)""",
                Boolean.class, tenant.value(), offerId, goal, transactionId));
    }
}
