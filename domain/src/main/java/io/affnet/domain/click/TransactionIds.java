package io.affnet.domain.click;

import io.affnet.api.common.TenantId;

/**
 * The advertiser's transaction ids already credited, across all clicks of an offer and goal: the
 * second report of one sale through another click is a duplicate. A claim must hold in the
 * transaction that appends the conversion and vanish with it if that transaction rolls back.
 */
public interface TransactionIds {

    /** Claims the id for this conversion; false when another conversion holds it already. */
    boolean claim(TenantId tenant, String offerId, String goal, String transactionId, String clickId, String conversionId);

    /** Whether a conversion holds the id (read only, for a report that will not be credited anyway). */
    boolean claimed(TenantId tenant, String offerId, String goal, String transactionId);
}
