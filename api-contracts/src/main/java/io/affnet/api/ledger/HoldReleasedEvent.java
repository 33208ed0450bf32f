package io.affnet.api.ledger;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** A conversion's hold period ended without a reversal: its payout becomes available for payout runs. */
@Revision("1")
public record HoldReleasedEvent(TenantId tenantId, String affiliateId, String conversionId, JournalEntry entry,
                                Instant postedAt) implements LedgerPosted {

    @Override
    public LedgerEntryKind kind() {
        return LedgerEntryKind.HOLD_RELEASE;
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
