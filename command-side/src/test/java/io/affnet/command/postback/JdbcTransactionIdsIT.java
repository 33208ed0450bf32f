package io.affnet.command.postback;

import io.affnet.api.common.TenantId;
import io.affnet.web.testing.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The transaction-id claim registry on the real {@code conversion_txn}: one claim per (tenant, offer, goal, id). */
class JdbcTransactionIdsIT {

    private static PostgresSchema schema;
    private static JdbcTransactionIds ids;

    @BeforeAll
    static void schema() {
        schema = PostgresSchema.create();
        ids = new JdbcTransactionIds(schema.jdbc());
    }

    @AfterAll
    static void drop() {
        if (schema != null) {
            schema.close();
        }
    }

    private static TenantId tenant() {
        return TenantId.of("t_" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    void claimsATransactionIdOnceAndRejectsTheSecondClaim() {
        TenantId tenant = tenant();
        assertThat(ids.claimed(tenant, "off_1", "sale", "order-1")).isFalse();
        assertThat(ids.claim(tenant, "off_1", "sale", "order-1", "clk_1", "cnv_1")).isTrue();
        assertThat(ids.claim(tenant, "off_1", "sale", "order-1", "clk_2", "cnv_2")).as("a repeat from another click").isFalse();
        assertThat(ids.claimed(tenant, "off_1", "sale", "order-1")).isTrue();
        assertThat(schema.jdbc().queryForObject("SELECT click_id FROM conversion_txn WHERE tenant_id = ? AND transaction_id = ?",
                String.class, tenant.value(), "order-1")).as("the first claim stays").isEqualTo("clk_1");
    }

    @Test
    void theSameIdIsFreeInAnotherTenantOfferOrGoal() {
        TenantId tenant = tenant();
        TenantId other = tenant();
        assertThat(ids.claim(tenant, "off_1", "sale", "order-9", "clk_1", "cnv_1")).isTrue();
        assertThat(ids.claimed(other, "off_1", "sale", "order-9")).isFalse();
        assertThat(ids.claim(other, "off_1", "sale", "order-9", "clk_2", "cnv_2")).isTrue();
        assertThat(ids.claim(tenant, "off_2", "sale", "order-9", "clk_3", "cnv_3")).isTrue();
        assertThat(ids.claim(tenant, "off_1", "lead", "order-9", "clk_4", "cnv_4")).isTrue();
    }

    @Test
    void takesTransactionIdsUpTo500Characters() {
        TenantId tenant = tenant();
        String longId = "x".repeat(500);
        assertThat(ids.claim(tenant, "off_1", "sale", longId, "clk_1", "cnv_1")).isTrue();
        assertThat(ids.claimed(tenant, "off_1", "sale", longId)).isTrue();
        assertThat(ids.claimed(tenant, "off_1", "sale", longId.substring(1))).isFalse();
    }

    private static int rows(TenantId tenant) {
        return schema.jdbc().queryForObject("SELECT count(*) FROM conversion_txn WHERE tenant_id = ?", Integer.class, tenant.value());
    }

    @Test
    void deferredClaimsAreTakenInMemoryAndInsertedTogether() {
        TenantId tenant = tenant();
        ids.deferClaims(java.util.List.of());
        try {
            assertThat(ids.claimed(tenant, "off_1", "sale", "d-1")).isFalse();
            assertThat(ids.claim(tenant, "off_1", "sale", "d-1", "clk_1", "cnv_1")).isTrue();
            assertThat(ids.claim(tenant, "off_1", "sale", "d-1", "clk_2", "cnv_2")).as("the batch's second claim").isFalse();
            assertThat(ids.claimed(tenant, "off_1", "sale", "d-1")).isTrue();
            assertThat(ids.claim(tenant, "off_1", "sale", "d-2", "clk_3", "cnv_3")).isTrue();
            assertThat(ids.claim(tenant, "off_1", "lead", "d-1", "clk_4", "cnv_4")).isTrue();
            assertThat(rows(tenant)).as("nothing written before the flush").isZero();
            ids.flushDeferred();
            assertThat(rows(tenant)).isEqualTo(3);
            assertThat(schema.jdbc().queryForObject("SELECT click_id FROM conversion_txn WHERE tenant_id = ? AND goal = 'sale'"
                    + " AND transaction_id = 'd-1'", String.class, tenant.value())).isEqualTo("clk_1");
        } finally {
            ids.stopDeferring();
        }
        assertThat(ids.claim(tenant, "off_1", "sale", "d-2", "clk_5", "cnv_5")).as("at once again: taken").isFalse();
    }

    @Test
    void aDeferredClaimOfAnIdHeldOutsideTheBatchFailsTheFlushAndIsRefusedOnTheNextTry() {
        TenantId tenant = tenant();
        assertThat(ids.claim(tenant, "off_1", "sale", "held", "clk_1", "cnv_1")).isTrue();
        JdbcTransactionIds.Taken taken;
        ids.deferClaims(java.util.List.of());
        try {
            assertThat(ids.claim(tenant, "off_1", "sale", "held", "clk_2", "cnv_2")).as("optimistic in the batch").isTrue();
            assertThat(ids.claim(tenant, "off_1", "sale", "free", "clk_2", "cnv_3")).isTrue();
            taken = org.assertj.core.api.Assertions.catchThrowableOfType(ids::flushDeferred, JdbcTransactionIds.Taken.class);
        } finally {
            ids.stopDeferring();
        }
        assertThat(taken).isNotNull();
        assertThat(JdbcTransactionIds.takenBy(taken)).containsExactly(new JdbcTransactionIds.Key(tenant.value(), "off_1", "sale", "held"));
        // (The batcher rolls its transaction back here; this test's statement committed "free", which the next try reclaims.)
        schema.jdbc().update("DELETE FROM conversion_txn WHERE tenant_id = ? AND transaction_id = 'free'", tenant.value());
        ids.deferClaims(JdbcTransactionIds.takenBy(taken));
        try {
            assertThat(ids.claim(tenant, "off_1", "sale", "held", "clk_2", "cnv_2")).as("known taken").isFalse();
            assertThat(ids.claimed(tenant, "off_1", "sale", "held")).isTrue();
            assertThat(ids.claim(tenant, "off_1", "sale", "free", "clk_2", "cnv_3")).isTrue();
            ids.flushDeferred();
        } finally {
            ids.stopDeferring();
        }
        assertThat(schema.jdbc().queryForObject("SELECT click_id FROM conversion_txn WHERE tenant_id = ? AND transaction_id = 'held'",
                String.class, tenant.value())).isEqualTo("clk_1");
        assertThat(rows(tenant)).isEqualTo(2);
    }
}
