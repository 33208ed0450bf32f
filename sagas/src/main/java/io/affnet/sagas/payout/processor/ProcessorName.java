package io.affnet.sagas.payout.processor;

/** The payment processors affnet pays affiliates through. */
public enum ProcessorName {
    STRIPE,
    PAYPAL
}
