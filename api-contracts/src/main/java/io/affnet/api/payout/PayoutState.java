package io.affnet.api.payout;

/**
 * Where a payout stands. {@link #RESERVED}: the amount moved from available to the processor's
 * clearing account; {@link #SENT}: the processor holds it; {@link #PAID}: settled at the affiliate.
 * {@link #FAILED}, {@link #RETURNED} and {@link #REVERSED} are absorbing; {@link #PAID} can only be
 * followed by {@link #RETURNED} or {@link #REVERSED}, each booked as a compensating entry.
 */
public enum PayoutState {
    RESERVED, SENT, PAID, FAILED, RETURNED, REVERSED;

    public boolean isTerminal() {
        return this == FAILED || this == RETURNED || this == REVERSED;
    }

    /** Whether news of {@code next} moves a payout in this state (anything else is ignored). */
    public boolean canMoveTo(PayoutState next) {
        return switch (this) {
            case RESERVED -> next == SENT || next == PAID || next == FAILED || next == RETURNED || next == REVERSED;
            case SENT -> next == PAID || next == FAILED || next == RETURNED || next == REVERSED;
            case PAID -> next == RETURNED || next == REVERSED;
            case FAILED, RETURNED, REVERSED -> false;
        };
    }
}
