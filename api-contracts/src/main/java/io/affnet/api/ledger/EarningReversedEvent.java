package io.affnet.api.ledger;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * A conversion's earning was clawed back: from pending when still in hold, else from available (which
 * may go negative when the money was already paid; later earnings absorb it).
 */
@Revision("1")
public record EarningReversedEvent(TenantId tenantId, String affiliateId, String conversionId, boolean afterHold,
                                   JournalEntry entry, Instant postedAt) implements LedgerPosted {

    @Override
    public LedgerEntryKind kind() {
        return LedgerEntryKind.REVERSAL;
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
