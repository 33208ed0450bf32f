package io.affnet.api.payout;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.JournalEntry;
import io.affnet.api.ledger.LedgerEntryKind;
import io.affnet.api.ledger.LedgerPosted;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * A payout moved at its processor: sent (no money moves), paid (clearing to paid), failed (clearing
 * back to available), or returned/reversed after payment (paid back to available, compensating).
 * {@code paid} is the payout's amount in the currency it is paid in, on every change, so that the notice of
 * a SENT change (which posts nothing) can say what is on its way; events written before it existed read null.
 */
@Revision("1")
public record PayoutStateChangedEvent(TenantId tenantId, String affiliateId, String payoutId, String runId,
                                      String processor, PayoutState from, PayoutState to, String reference,
                                      String batchReference, String reason, List<JournalEntry> entries,
                                      Instant postedAt, Money paid) implements LedgerPosted {

    @Override
    public LedgerEntryKind kind() {
        return switch (to) {
            case PAID -> LedgerEntryKind.PAYOUT_PAID;
            case FAILED -> LedgerEntryKind.PAYOUT_FAILED;
            case RETURNED -> LedgerEntryKind.PAYOUT_RETURNED;
            case REVERSED -> LedgerEntryKind.PAYOUT_REVERSED;
            case RESERVED, SENT -> LedgerEntryKind.PAYOUT_RESERVED;
        };
    }

    @Override
    public String subject() {
        return payoutId;
    }
}
