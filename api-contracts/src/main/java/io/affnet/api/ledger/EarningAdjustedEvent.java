package io.affnet.api.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * An approved conversion's earning moved to new amounts: the entry posts the difference (payout to pending
 * while the earning is in hold, else to available, which a cut after payout may take below zero; revenue to the
 * receivable; the rest to the margin). {@code revenue} and {@code payout} are the earning's amounts after it.
 */
@Revision("1")
public record EarningAdjustedEvent(TenantId tenantId, String affiliateId, String conversionId, String adjustmentId,
                                   Money revenue, Money payout, boolean afterHold, JournalEntry entry, Instant postedAt)
        implements LedgerPosted {

    @Override
    public LedgerEntryKind kind() {
        return LedgerEntryKind.ADJUSTMENT;
    }

    @Override
    public String subject() {
        return conversionId;
    }

    @Override
    public List<JournalEntry> entries() {
        return List.of(entry);
    }
}
