package io.affnet.sagas.delivery;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes this node's delivery worker when work may be due (a delivery was enqueued here, a slot freed)
 * instead of waiting for its next poll; deliveries enqueued on other nodes are found by polling.
 */
public class DeliverySignal {

    private final Semaphore signal = new Semaphore(0);

    public void wake() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    void await(Duration max) throws InterruptedException {
        if (signal.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS)) {
            signal.drainPermits();
        }
    }
}
