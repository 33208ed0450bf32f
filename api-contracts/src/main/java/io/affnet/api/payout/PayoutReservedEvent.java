package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.JournalEntry;
import io.affnet.api.ledger.LedgerEntryKind;
import io.affnet.api.ledger.LedgerPosted;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * A payout exists: its amount left the affiliate's available balance for the processor's clearing
 * account (through the FX account when paid in another currency). Starts the payout's saga.
 */
@Revision("1")
public record PayoutReservedEvent(TenantId tenantId, String affiliateId, String payoutId, String runId,
                                  PayoutRunItem item, List<JournalEntry> entries, Instant postedAt) implements LedgerPosted {

    @Override
    public LedgerEntryKind kind() {
        return LedgerEntryKind.PAYOUT_RESERVED;
    }

    @Override
    public String subject() {
        return payoutId;
    }
}
