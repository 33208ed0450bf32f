package io.affnet.domain.payout;

/** A payout run or payout method command that its current state does not allow. */
public class PayoutRunStateException extends RuntimeException {

    public PayoutRunStateException(String message) {
        super(message);
    }
}
