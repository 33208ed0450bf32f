package io.affnet.api.conversion;

/** Where a conversion stands: pending → approved or rejected; approved → reversed (refund, chargeback). */
public enum ConversionStatus {
    PENDING, APPROVED, REJECTED, REVERSED;

    public boolean canBecome(ConversionStatus next) {
        return switch (this) {
            case PENDING -> next == APPROVED || next == REJECTED;
            case APPROVED -> next == REVERSED;
            case REJECTED, REVERSED -> false;
        };
    }
}
