package io.affnet.platform.config;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.Scheduler;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineManagerSpanFactory;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.serialization.Serializer;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Axon's deadlines (hold periods, payout saga waits) run as db-scheduler one-time tasks. Axon builds the
 * task without a failure handler, so db-scheduler's default applies: a failed deadline is retried after
 * five minutes. A deadline fails when its aggregate was changed concurrently (two nodes, or a deadline
 * of the same ledger on another node, append the same sequence number: the loser's unit of work rolls
 * back), which is routine and harmless, so five minutes is far too long: a hold would end minutes late.
 * This task is Axon's, with a failure handler that retries after {@code first × 2^(failures-1)}, with
 * jitter, capped at {@code max}; a deadline is never dropped.
 */
@Configuration(proxyBeanMethods = false)
public class DeadlineRetries {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineRetries.class);

    /** Replaces the bean of Axon's {@code AxonDbSchedulerAutoConfiguration}, which backs off when this one exists. */
    @Bean
    @Qualifier("deadlineDetailsTask")
    Task<DbSchedulerBinaryDeadlineDetails> deadlineDetailsTask(ApplicationContext context,
            @Value("${affnet.deadlines.retry-first:500ms}") Duration first,
            @Value("${affnet.deadlines.retry-max:60s}") Duration max) {
        OneTimeTask<DbSchedulerBinaryDeadlineDetails> axon = (OneTimeTask<DbSchedulerBinaryDeadlineDetails>)
                DbSchedulerDeadlineManager.binaryTask(() -> context.getBean(DbSchedulerDeadlineManager.class));
        return new OneTimeTask<>(axon.getName(), DbSchedulerBinaryDeadlineDetails.class, new Backoff<>(first, max)) {
            @Override
            public void executeOnce(TaskInstance<DbSchedulerBinaryDeadlineDetails> instance, ExecutionContext executionContext) {
                axon.executeOnce(instance, executionContext);
            }
        };
    }

    /**
     * Replaces Axon's {@code DeadlineManager} bean (built as {@code AxonDbSchedulerAutoConfiguration} builds it,
     * which backs off when this one exists) with one whose cancel by id is quiet and which writes a unit of work's
     * deadlines with one insert ({@link ByIdDeadlineManager}).
     */
    @Bean
    DeadlineManager deadlineManager(Scheduler scheduler, org.axonframework.config.Configuration configuration,
                                    @Qualifier("eventSerializer") Serializer serializer, TransactionManager transactionManager,
                                    DeadlineManagerSpanFactory spanFactory) {
        return new ByIdDeadlineManager(DbSchedulerDeadlineManager.builder()
                .scheduler(scheduler)
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
                .serializer(serializer)
                .transactionManager(transactionManager)
                .spanFactory(spanFactory)
                // db-scheduler's Spring Boot starter starts and stops the scheduler.
                .startScheduler(false)
                .stopScheduler(false), scheduler, serializer);
    }

    /** Exponential backoff with jitter, capped; never gives up. */
    record Backoff<T>(Duration first, Duration max) implements FailureHandler<T> {

        static Duration delay(Duration first, Duration max, int failures, double jitter) {
            int doublings = Math.max(0, Math.min(failures - 1, 30));
            long millis = Math.min(max.toMillis(), first.toMillis() << Math.min(doublings, 20));
            return Duration.ofMillis(Math.max(1, Math.round(millis * (0.75 + 0.5 * jitter))));
        }

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<T> operations) {
            int failures = complete.getExecution().consecutiveFailures + 1;
            Duration wait = delay(first, max, failures, ThreadLocalRandom.current().nextDouble());
            LOG.warn("deadline {} failed ({} in a row: {}); retried in {} ms", complete.getExecution().taskInstance.getId(),
                    failures, complete.getCause().map(Throwable::toString).orElse("?"), wait.toMillis());
            operations.reschedule(complete, complete.getTimeDone().plus(wait));
        }
    }
}
