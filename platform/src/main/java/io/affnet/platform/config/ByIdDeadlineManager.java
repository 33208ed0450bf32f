package io.affnet.platform.config;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.SchedulableTaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import io.affnet.domain.ledger.KeyedDeadline;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.deadline.GenericDeadlineMessage;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineToken;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.ScopeDescriptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Axon's db-scheduler deadline manager with two changes.
 * <p>
 * <b>Cancelling one deadline by the id {@code schedule} returned is quiet</b> when there is nothing left to cancel:
 * the deadline already ran (db-scheduler deletes a one-time task when it completes), was cancelled before, or is
 * running right now (its handler then sees the state that made the caller cancel it). Axon's own
 * {@code cancelSchedule} lets db-scheduler's "not found" and "currently executing" exceptions through, in the
 * caller's prepare-commit phase, which rolls the caller's unit of work back. Why cancel by id at all:
 * {@code cancelAllWithinScope} reads and deserialises <em>every</em> scheduled deadline of every scope to find the
 * caller's (db-scheduler has no index on Axon's scope), so its cost grows with all deadlines waiting in
 * {@code scheduled_tasks}; each payout saga keeps a 35-day deadline, and paying a run of N payouts cost O(N²)
 * (docs/payouts.md, Bench). By id it is one primary-key read and one delete.
 * <p>
 * <b>The deadlines a unit of work schedules are written together</b>, with one batched insert
 * ({@link Scheduler#scheduleBatch}) when its root unit of work prepares to commit, in its transaction. Axon's
 * {@code schedule} writes each deadline on its own ({@code getExecution}, then {@code INSERT}: two round trips),
 * and the ledger intake posts one earning, so one hold deadline, per approved conversion, all on the one segment
 * of the affiliate's ledger: a batch of 200 conversions cost 400 round trips before its commit (docs/operations.md,
 * Soak). The insert is registered on the root when the first deadline of the unit of work is scheduled, which is
 * before the events of that command reach the root (they do when the command's nested unit of work commits), so
 * the deadlines are written before the event append takes the tenant's audit-chain head lock, not while it is
 * held. A deadline scheduled in a nested unit of work that rolls back is taken out of the batch; one cancelled in
 * the same unit of work before the insert is never written. The deadline's id is returned at once, as Axon does;
 * dispatch interceptors run when {@code schedule} is called instead of at prepare-commit. Outside a unit of work,
 * or once the root is past {@code STARTED}, Axon's own path writes the deadline alone.
 * <p>
 * <b>A deadline whose payload is a {@link KeyedDeadline}</b> is stored under its key instead of a random id and written
 * with {@code scheduleIfNotExists}: a second scheduling of the same key, in the batch or already stored, leaves the one
 * deadline (the ledger's hold chain, one deadline per ledger and moment instead of one per earning; docs/payouts.md).
 * Such a deadline is not taken out of the batch when a nested unit of work rolls back (another may have scheduled the
 * same key; the chain's step only releases what is due, so an extra one is harmless).
 */
final class ByIdDeadlineManager extends DbSchedulerDeadlineManager {

    private static final String BATCH = ByIdDeadlineManager.class.getName() + ".batch";
    private static final TaskDescriptor<DbSchedulerBinaryDeadlineDetails> TASK =
            TaskDescriptor.of("AxonDeadline", DbSchedulerBinaryDeadlineDetails.class);

    private final Scheduler scheduler;
    private final Serializer serializer;

    ByIdDeadlineManager(DbSchedulerDeadlineManager.Builder builder, Scheduler scheduler, Serializer serializer) {
        super(builder);
        this.scheduler = scheduler;
        this.serializer = serializer;
    }

    /** The deadlines a root unit of work has scheduled and not written yet, by id, in scheduling order. */
    static final class Batch {
        private final Map<String, SchedulableInstance<?>> waiting = new LinkedHashMap<>();
        /** Keyed deadlines ({@link KeyedDeadline}): one per key, written only if none of the key is stored yet. */
        private final Map<String, SchedulableInstance<?>> keyed = new LinkedHashMap<>();
        private boolean written;

        synchronized boolean add(String id, SchedulableInstance<?> instance, boolean isKeyed) {
            if (written) {
                return false;
            }
            if (isKeyed) {
                keyed.putIfAbsent(id, instance);
            } else {
                waiting.put(id, instance);
            }
            return true;
        }

        synchronized boolean remove(String id) {
            return waiting.remove(id) != null || keyed.remove(id) != null;
        }

        synchronized List<SchedulableInstance<?>> drain() {
            written = true;
            List<SchedulableInstance<?>> all = new ArrayList<>(waiting.values());
            waiting.clear();
            return all;
        }

        synchronized List<SchedulableInstance<?>> drainKeyed() {
            written = true;
            List<SchedulableInstance<?>> all = new ArrayList<>(keyed.values());
            keyed.clear();
            return all;
        }
    }

    @Override
    public String schedule(Instant triggerDateTime, String deadlineName, Object messageOrPayload, ScopeDescriptor deadlineScope) {
        String key = keyOf(messageOrPayload);
        if (!CurrentUnitOfWork.isStarted()) {
            return key == null ? super.schedule(triggerDateTime, deadlineName, messageOrPayload, deadlineScope)
                    : scheduleKeyedNow(key, triggerDateTime, deadlineName, messageOrPayload, deadlineScope);
        }
        UnitOfWork<?> current = CurrentUnitOfWork.get();
        UnitOfWork<?> root = current.root();
        if (root.phase() != UnitOfWork.Phase.STARTED || current.phase() != UnitOfWork.Phase.STARTED) {
            return key == null ? super.schedule(triggerDateTime, deadlineName, messageOrPayload, deadlineScope)
                    : scheduleKeyedNow(key, triggerDateTime, deadlineName, messageOrPayload, deadlineScope);
        }
        Batch batch = root.getOrComputeResource(BATCH, k -> {
            Batch b = new Batch();
            root.onPrepareCommit(u -> write(b));
            return b;
        });
        String id = key != null ? key : IdentifierFactory.getInstance().generateIdentifier();
        SchedulableInstance<?> instance = instance(id, triggerDateTime, deadlineName, messageOrPayload, deadlineScope);
        if (!batch.add(id, instance, key != null)) {
            return key == null ? super.schedule(triggerDateTime, deadlineName, messageOrPayload, deadlineScope)
                    : scheduleKeyedNow(key, triggerDateTime, deadlineName, messageOrPayload, deadlineScope);
        }
        if (current != root && key == null) {
            // A keyed deadline stays: another unit of work may have scheduled the same key, and one more step of a
            // hold chain releases only what is due.
            current.onRollback(u -> batch.remove(id));
        }
        return id;
    }

    private SchedulableInstance<?> instance(String id, Instant triggerDateTime, String deadlineName, Object messageOrPayload,
                                           ScopeDescriptor deadlineScope) {
        DeadlineMessage<Object> message = processDispatchInterceptors(
                GenericDeadlineMessage.asDeadlineMessage(deadlineName, messageOrPayload, triggerDateTime));
        return new SchedulableTaskInstance<>(
                TASK.instance(id).data(details(deadlineName, deadlineScope, message)).build(), triggerDateTime);
    }

    /** The key of a {@link KeyedDeadline} payload (also inside a deadline message), or null. */
    private static String keyOf(Object messageOrPayload) {
        Object payload = messageOrPayload instanceof Message<?> m ? m.getPayload() : messageOrPayload;
        return payload instanceof KeyedDeadline k ? k.deadlineKey() : null;
    }

    /** A keyed deadline outside a batch: written when the unit of work prepares to commit (or now), unless waiting. */
    private String scheduleKeyedNow(String key, Instant triggerDateTime, String deadlineName, Object messageOrPayload,
                                    ScopeDescriptor deadlineScope) {
        SchedulableInstance<?> instance = instance(key, triggerDateTime, deadlineName, messageOrPayload, deadlineScope);
        runOnPrepareCommitOrNow(() -> scheduler.scheduleIfNotExists(instance));
        return key;
    }

    private void write(Batch batch) {
        write(batch.drain(), batch.drainKeyed());
    }

    private void write(List<SchedulableInstance<?>> all, List<SchedulableInstance<?>> keyed) {
        if (all.size() == 1) {
            scheduler.schedule(all.get(0));
        } else if (!all.isEmpty()) {
            scheduler.scheduleBatch(all);
        }
        for (SchedulableInstance<?> instance : keyed) {
            scheduler.scheduleIfNotExists(instance);
        }
    }

    /** What Axon's binary deadline task stores (as {@code DbSchedulerBinaryDeadlineDetails.serialized} builds it). */
    private DbSchedulerBinaryDeadlineDetails details(String deadlineName, ScopeDescriptor scope, DeadlineMessage<?> message) {
        SerializedObject<byte[]> serializedScope = serializer.serialize(scope, byte[].class);
        SerializedObject<byte[]> payload = serializer.serialize(message.getPayload(), byte[].class);
        SerializedObject<byte[]> metaData = serializer.serialize(message.getMetaData(), byte[].class);
        return new DbSchedulerBinaryDeadlineDetails(deadlineName, serializedScope.getData(), serializedScope.getType().getName(),
                payload.getData(), payload.getType().getName(), payload.getType().getRevision(), metaData.getData());
    }

    @Override
    public void cancelSchedule(String deadlineName, String scheduleId) {
        if (CurrentUnitOfWork.isStarted()) {
            Batch batch = CurrentUnitOfWork.get().root().getResource(BATCH);
            if (batch != null && batch.remove(scheduleId)) {
                return;
            }
        }
        runOnPrepareCommitOrNow(() -> {
            try {
                scheduler.cancel(new DbSchedulerDeadlineToken(scheduleId));
            } catch (TaskInstanceNotFoundException | TaskInstanceCurrentlyExecutingException e) {
                // Ran, cancelled or running: nothing to cancel any more.
            }
        });
    }

    /** Writes the deadlines waiting in this unit of work first, so that a cancel of all sees them. */
    @Override
    public void cancelAll(String deadlineName) {
        writeWaiting();
        super.cancelAll(deadlineName);
    }

    @Override
    public void cancelAllWithinScope(String deadlineName, ScopeDescriptor scope) {
        writeWaiting();
        super.cancelAllWithinScope(deadlineName, scope);
    }

    private void writeWaiting() {
        if (CurrentUnitOfWork.isStarted()) {
            Batch batch = CurrentUnitOfWork.get().root().getResource(BATCH);
            if (batch != null) {
                write(batch.drain(), batch.drainKeyed());
                // Later deadlines of this unit of work take Axon's own path (the batch is marked written).
            }
        }
    }
}
