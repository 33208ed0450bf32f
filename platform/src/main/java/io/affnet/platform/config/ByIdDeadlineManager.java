package io.affnet.platform.config;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineToken;

/**
 * Axon's db-scheduler deadline manager, except that cancelling one deadline by the id {@code schedule} returned
 * is quiet when there is nothing left to cancel: the deadline already ran (db-scheduler deletes a one-time task
 * when it completes), was cancelled before, or is running right now (its handler then sees the state that made
 * the caller cancel it). Axon's own {@code cancelSchedule} lets db-scheduler's "not found" and "currently
 * executing" exceptions through, in the caller's prepare-commit phase, which rolls the caller's unit of work back.
 * <p>
 * Why cancel by id at all: {@code cancelAllWithinScope} reads and deserialises <em>every</em> scheduled deadline
 * of every scope to find the caller's (db-scheduler has no index on Axon's scope), so its cost grows with all
 * deadlines waiting in {@code scheduled_tasks}; each payout saga keeps a 35-day deadline, and paying a run of N
 * payouts cost O(N²) (docs/payouts.md, Bench). By id it is one primary-key read and one delete.
 */
final class ByIdDeadlineManager extends DbSchedulerDeadlineManager {

    private final Scheduler scheduler;

    ByIdDeadlineManager(DbSchedulerDeadlineManager.Builder builder, Scheduler scheduler) {
        super(builder);
        this.scheduler = scheduler;
    }

    @Override
    public void cancelSchedule(String deadlineName, String scheduleId) {
        runOnPrepareCommitOrNow(() -> {
            try {
                scheduler.cancel(new DbSchedulerDeadlineToken(scheduleId));
            } catch (TaskInstanceNotFoundException | TaskInstanceCurrentlyExecutingException e) {
                // Ran, cancelled or running: nothing to cancel any more.
            }
        });
    }
}
