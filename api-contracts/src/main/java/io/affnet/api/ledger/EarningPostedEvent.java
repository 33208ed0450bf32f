package io.affnet.api.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** An approved conversion's payout is owed to the affiliate, pending until {@code holdUntil}. */
@Revision("1")
public record EarningPostedEvent(TenantId tenantId, String affiliateId, String conversionId, String offerId,
                                 Money revenue, Money payout, Instant holdUntil, JournalEntry entry,
                                 Instant postedAt) implements LedgerPosted {

    @Override
    public LedgerEntryKind kind() {
        return LedgerEntryKind.EARNING;
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
