package io.affnet.sagas.delivery;

import java.util.function.Predicate;

/**
 * Fault injection for tests of crash safety: when {@link #crashAfterSend} answers true for a delivery,
 * the worker drops it right after the receiver answered and before anything is written, exactly as if
 * the node had been killed at that moment. Never set outside tests; the default crashes nothing.
 */
public class DeliveryFaults {

    private volatile Predicate<String> crashAfterSend = deliveryId -> false;

    public void crashAfterSend(Predicate<String> which) {
        this.crashAfterSend = which == null ? deliveryId -> false : which;
    }

    boolean shouldCrashAfterSend(String deliveryId) {
        return crashAfterSend.test(deliveryId);
    }
}
