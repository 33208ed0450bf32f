package io.affnet.sagas.delivery;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What the enqueuing handlers share: they only collect the events of the processor's batch; the first
 * call in a batch arranges for them to be enqueued before its transaction commits (with the token, so a
 * failure retries the whole batch) and for the worker to be woken after it did.
 */
final class BatchedEnqueue {

    private BatchedEnqueue() {
    }

    /** The current batch's list under {@code key}; {@code enqueue} turns it into rows and answers how many. */
    static <T> List<T> pending(String key, DeliverySignal signal, ToIntFunction<List<T>> enqueue) {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        return uow.getOrComputeResource(key, k -> {
            List<T> pending = new ArrayList<>();
            int[] enqueued = {0};
            uow.onPrepareCommit(u -> enqueued[0] = enqueue.applyAsInt(pending));
            uow.afterCommit(u -> {
                if (enqueued[0] > 0) {
                    signal.wake();
                }
            });
            return pending;
        });
    }
}
