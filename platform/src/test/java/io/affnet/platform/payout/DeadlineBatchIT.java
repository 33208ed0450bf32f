package io.affnet.platform.payout;

import io.affnet.domain.ledger.KeyedDeadline;
import io.affnet.platform.support.PlatformIT;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deadlines a unit of work schedules are written together when its root prepares to commit (one insert,
 * in its transaction), not one by one as each command's nested unit of work commits (docs/operations.md, Soak:
 * the ledger intake schedules one hold deadline per approved conversion). On the real db-scheduler table:
 * nothing is written before the root commits; a nested unit of work that rolls back leaves its deadline out;
 * one cancelled before the commit is never written; a root that rolls back writes none.
 */
class DeadlineBatchIT extends PlatformIT {

    @Autowired
    DeadlineManager deadlines;

    @Autowired
    TransactionManager transactions;


    @Test
    void aUnitOfWorksDeadlinesAreWrittenAtItsCommitWithoutTheRolledBackOrCancelledOnes() {
        UnresolvedScope scope = UnresolvedScope.fresh("DeadlineBatchIT");
        List<String> committed = new ArrayList<>();
        String[] rolledBack = new String[1];
        String[] cancelled = new String[1];
        long[] seenInsideBeforeCommit = {-1};

        DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
        root.attachTransaction(transactions);
        root.execute(() -> {
            // Three commands, each in a nested unit of work as the command bus runs them inside a processor's batch.
            for (int i = 0; i < 3; i++) {
                committed.add(nested(() -> deadlines.schedule(Duration.ofHours(5), "batch-it", null, scope)));
            }
            // A command that fails after scheduling: its nested unit of work rolls back.
            DefaultUnitOfWork<?> failing = DefaultUnitOfWork.startAndGet(null);
            rolledBack[0] = deadlines.schedule(Duration.ofHours(5), "batch-it", null, scope);
            failing.rollback(new IllegalStateException("the command failed"));
            // Scheduled, then cancelled before the root commits.
            cancelled[0] = nested(() -> deadlines.schedule(Duration.ofHours(5), "batch-it", null, scope));
            deadlines.cancelSchedule("batch-it", cancelled[0]);
            // Same transaction, same connection: had each nested commit written its deadline, these would be here.
            assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
            seenInsideBeforeCommit[0] = waiting(committed);
        });

        assertThat(seenInsideBeforeCommit[0]).as("deadlines written before the root's prepare-commit").isZero();
        for (String id : committed) {
            assertThat(exists(id)).as("committed deadline " + id).isTrue();
        }
        assertThat(exists(rolledBack[0])).as("the rolled-back command's deadline").isFalse();
        assertThat(exists(cancelled[0])).as("the deadline cancelled in the same unit of work").isFalse();
        assertThat(waiting(committed)).isEqualTo(3);

        // A root that rolls back writes nothing.
        List<String> lost = new ArrayList<>();
        DefaultUnitOfWork<?> failingRoot = DefaultUnitOfWork.startAndGet(null);
        failingRoot.attachTransaction(transactions);
        assertThatThrownBy(() -> failingRoot.execute(() -> {
            lost.add(nested(() -> deadlines.schedule(Duration.ofHours(5), "batch-it", null, scope)));
            lost.add(nested(() -> deadlines.schedule(Duration.ofHours(5), "batch-it", null, scope)));
            throw new IllegalStateException("the batch failed");
        })).hasMessageContaining("the batch failed");
        assertThat(lost).hasSize(2);
        assertThat(waiting(lost)).isZero();

        // Cleanup: these would never run (hours away, no scope resolves them), but keep the table small.
        DefaultUnitOfWork<?> cleanup = DefaultUnitOfWork.startAndGet(null);
        cleanup.attachTransaction(transactions);
        cleanup.execute(() -> committed.forEach(id -> deadlines.cancelSchedule("batch-it", id)));
        assertThat(waiting(committed)).isZero();
    }

    /** A payload stored under its own key (as the ledger's hold chain's). */
    record Keyed(String key) implements KeyedDeadline {
        @Override
        public String deadlineKey() {
            return key;
        }
    }

    /**
     * A keyed deadline is stored under its key, once: scheduled twice in one batch, again in a later unit of work while
     * it waits, and outside any unit of work, it is one row; a nested unit of work that rolls back leaves it (another may
     * have scheduled the same key). Once cancelled, the key can be scheduled again.
     */
    @Test
    void aKeyedDeadlineIsStoredOnceUnderItsKey() {
        UnresolvedScope scope = UnresolvedScope.fresh("DeadlineBatchIT-keyed");
        String key = "batch-it-keyed:" + java.util.UUID.randomUUID();
        String other = "batch-it-keyed:" + java.util.UUID.randomUUID();
        List<String> ids = new ArrayList<>();

        DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
        root.attachTransaction(transactions);
        root.execute(() -> {
            ids.add(nested(() -> deadlines.schedule(Duration.ofHours(5), "batch-it", new Keyed(key), scope)));
            ids.add(nested(() -> deadlines.schedule(Duration.ofHours(5), "batch-it", new Keyed(key), scope)));
            DefaultUnitOfWork<?> failing = DefaultUnitOfWork.startAndGet(null);
            ids.add(deadlines.schedule(Duration.ofHours(6), "batch-it", new Keyed(other), scope));
            failing.rollback(new IllegalStateException("the command failed"));
            ids.add(nested(() -> deadlines.schedule(Duration.ofHours(5), "batch-it", null, scope)));
        });
        assertThat(ids.subList(0, 3)).containsExactly(key, key, other);
        assertThat(waiting(List.of(key))).isEqualTo(1);
        assertThat(waiting(List.of(other))).as("kept though its nested unit of work rolled back").isEqualTo(1);
        assertThat(exists(ids.get(3))).as("an unkeyed deadline of the same batch").isTrue();

        DefaultUnitOfWork<?> again = DefaultUnitOfWork.startAndGet(null);
        again.attachTransaction(transactions);
        again.execute(() -> nested(() -> deadlines.schedule(Duration.ofHours(7), "batch-it", new Keyed(key), scope)));
        assertThat(deadlines.schedule(Duration.ofHours(7), "batch-it", new Keyed(key), scope)).isEqualTo(key);
        assertThat(waiting(List.of(key))).as("scheduled again while waiting").isEqualTo(1);

        DefaultUnitOfWork<?> cleanup = DefaultUnitOfWork.startAndGet(null);
        cleanup.attachTransaction(transactions);
        cleanup.execute(() -> List.of(key, other, ids.get(3)).forEach(id -> deadlines.cancelSchedule("batch-it", id)));
        assertThat(waiting(List.of(key, other, ids.get(3)))).isZero();
        assertThat(deadlines.schedule(Duration.ofHours(5), "batch-it", new Keyed(key), scope)).isEqualTo(key);
        assertThat(waiting(List.of(key))).as("a cancelled key can be scheduled again").isEqualTo(1);
        deadlines.cancelSchedule("batch-it", key);
        assertThat(waiting(List.of(key))).isZero();
    }

    private static String nested(java.util.function.Supplier<String> work) {
        DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
        String[] id = new String[1];
        uow.execute(() -> id[0] = work.get());
        return id[0];
    }

    private boolean exists(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?", Integer.class, id) == 1;
    }

    /** How many of these deadlines are in the table. */
    private long waiting(List<String> ids) {
        return jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ANY(CAST(? AS text[]))", Long.class,
                (Object) ids.toArray(String[]::new));
    }
}
