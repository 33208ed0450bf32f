package io.affnet.platform.payout;

import io.affnet.platform.support.PlatformIT;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payout saga cancels its deadlines by the ids {@code schedule} returned (docs/payouts.md, Bench): on the
 * real db-scheduler table, a cancel by id removes exactly that deadline, and cancelling one that is no longer
 * there (it ran, or was cancelled already) is quiet instead of rolling the caller's unit of work back.
 */
class DeadlineCancelIT extends PlatformIT {

    @Autowired
    DeadlineManager deadlines;

    @Autowired
    TransactionManager transactions;


    @Test
    void aCancelByIdRemovesThatDeadlineOnlyAndCancellingAGoneOneIsQuiet() {
        UnresolvedScope scope = UnresolvedScope.fresh("DeadlineCancelIT");
        String[] ids = new String[2];
        inUnitOfWork(() -> {
            ids[0] = deadlines.schedule(Duration.ofHours(5), "cancel-it", null, scope);
            ids[1] = deadlines.schedule(Duration.ofHours(5), "cancel-it", null, scope);
        });
        assertThat(waiting(ids[0])).isTrue();
        assertThat(waiting(ids[1])).isTrue();

        inUnitOfWork(() -> deadlines.cancelSchedule("cancel-it", ids[0]));
        assertThat(waiting(ids[0])).isFalse();
        assertThat(waiting(ids[1])).as("the other deadline of the same name and scope").isTrue();

        // Gone already (ran or cancelled), and never scheduled: the unit of work still commits, and what it
        // scheduled with it is kept.
        String[] later = new String[1];
        inUnitOfWork(() -> {
            deadlines.cancelSchedule("cancel-it", ids[0]);
            deadlines.cancelSchedule("cancel-it", UUID.randomUUID().toString());
            later[0] = deadlines.schedule(Duration.ofHours(5), "cancel-it", null, scope);
        });
        assertThat(waiting(later[0])).isTrue();

        inUnitOfWork(() -> {
            deadlines.cancelSchedule("cancel-it", ids[1]);
            deadlines.cancelSchedule("cancel-it", later[0]);
        });
        assertThat(waiting(ids[1])).isFalse();
        assertThat(waiting(later[0])).isFalse();
    }

    private void inUnitOfWork(Runnable work) {
        DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
        uow.attachTransaction(transactions);
        uow.execute(work);
    }

    private boolean waiting(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?", Integer.class, id) == 1;
    }
}
