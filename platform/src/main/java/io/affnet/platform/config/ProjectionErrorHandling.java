package io.affnet.platform.config;

import io.affnet.command.distribution.DistributionStatsProjection;
import io.affnet.platform.ops.ConversionMeters;
import io.affnet.projections.ProcessingGroups;
import io.affnet.projections.config.ConfigEntityProjection;
import io.affnet.projections.outbound.OutboundEndpointProjection;
import io.affnet.projections.payout.PayoutSettingsView;
import io.affnet.projections.tenant.ApiKeyProjection;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import io.affnet.projections.report.ReportProjection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a projection's failed handler does (docs/operations.md, Projections and store failures).
 * <ul>
 *   <li>The subscribing views ({@link #SYNCHRONOUS_GROUPS}) propagate every failure: it fails the command
 *       that appended the event, atomically.</li>
 *   <li>Every other processing group outside the money path (which propagates everything, PayoutsConfiguration and
 *       OutboundConfiguration) gets {@link #retryTransient}: a transient failure ({@link ProjectionFailures})
 *       fails the batch, which rolls back and is retried by the processor until the store is back, so a view
 *       row is never lost to a hiccup; a deterministic one (an event the view can never apply) is skipped
 *       with a WARN and {@code affnet.projection.skipped}, so it cannot stop its processor. Axon's default
 *       logged and skipped both.</li>
 *   <li>{@code core-views} has a dead-letter queue (application.yml): a deterministic failure dead-letters
 *       the event's sequence (the later events of the same aggregate queue behind it, in order) and counts
 *       {@code affnet.projection.skipped{outcome=dead-lettered}}; a transient one fails the batch as above
 *       (Axon's default policy dead-lettered those too, and nothing ever retried them). Dead letters are
 *       retried at start-up and every {@code affnet.processors.dead-letter-retry} (default 10 min).</li>
 *   <li>{@code distribution-stats} and {@code metrics} (subscribing) keep in-memory counts that a retry would
 *       count twice, and a meter must never fail a conversion: a failed handler there is skipped with the
 *       same WARN and metric.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class ProjectionErrorHandling {

    private static final Logger log = LoggerFactory.getLogger(ProjectionErrorHandling.class);
    static final String SKIPPED = "affnet.projection.skipped";

    /**
     * The subscribing views, written in the transaction that appends their events (the command side reads
     * them): any failure fails the command, which answers 503 (a store's transient failure, with
     * {@code Retry-After}) or 500, and nothing is stored; Axon's default stored the event without its row.
     */
    static final List<String> SYNCHRONOUS_GROUPS = List.of(ApiKeyProjection.GROUP, ConfigEntityProjection.GROUP,
            OutboundEndpointProjection.GROUP, PayoutSettingsView.GROUP);

    /** Groups whose handlers accumulate in memory: a retried batch would count its events twice. */
    static final List<String> SKIP_GROUPS = List.of(DistributionStatsProjection.GROUP, ConversionMeters.GROUP);

    @Bean
    ConfigurerModule projectionErrorHandlers(ObjectProvider<MeterRegistry> meters, PoisonEvents poison) {
        return configurer -> configurer.eventProcessing(processing -> {
            // The default for every group that does not name its own (the money groups and the outbound
            // enqueuer register PropagatingErrorHandler).
            processing.registerDefaultListenerInvocationErrorHandler(config -> retryTransient(meters));
            for (String group : SYNCHRONOUS_GROUPS) {
                processing.registerListenerInvocationErrorHandler(group, config -> PropagatingErrorHandler.instance());
            }
            for (String group : SKIP_GROUPS) {
                processing.registerListenerInvocationErrorHandler(group, config -> skipAll(meters));
            }
            processing.registerDeadLetterPolicy(ProcessingGroups.CORE_VIEWS, config -> deadLetterDeterministic(meters, poison));
        });
    }

    /** Report documents Elasticsearch can never take are skipped in the bulk write itself (ReportBatch). */
    @Bean
    io.micrometer.core.instrument.FunctionCounter reportRefusedDocuments(MeterRegistry registry) {
        return io.micrometer.core.instrument.FunctionCounter.builder(SKIPPED, ReportProjection.class,
                        type -> ReportProjection.refusedDocuments())
                .description("Events a projection could never apply (skipped or dead-lettered)")
                .tag("group", ReportProjection.GROUP).tag("event", "document").tag("outcome", "refused")
                .register(registry);
    }

    /** Transient: the batch fails and is retried. Deterministic: skipped, logged and counted. */
    static ListenerInvocationErrorHandler retryTransient(ObjectProvider<MeterRegistry> meters) {
        return (exception, event, handler) -> {
            if (ProjectionFailures.isTransient(exception)) {
                throw exception;
            }
            skipped(meters, event, handler, exception, "skipped");
        };
    }

    static ListenerInvocationErrorHandler skipAll(ObjectProvider<MeterRegistry> meters) {
        return (exception, event, handler) -> skipped(meters, event, handler, exception, "skipped");
    }

    /**
     * The dead-letter queue's policy: a transient failure is thrown on, which fails the batch (the processor
     * retries it) instead of parking the event. A deterministic one is dead-lettered, in two steps: a failed
     * statement has aborted the batch's PostgreSQL transaction, so the letter cannot be written in it (Axon's
     * default policy tried, failed, and retried the batch for ever). The event is marked and the batch fails;
     * in its retry the marked event's handlers throw {@link PoisonEvent} before touching a store, and that
     * is what is dead-lettered, in a healthy transaction.
     */
    static EnqueuePolicy<EventMessage<?>> deadLetterDeterministic(ObjectProvider<MeterRegistry> meters, PoisonEvents poison) {
        return (letter, cause) -> {
            if (ProjectionFailures.isTransient(cause)) {
                throw new TransientProjectionFailure(cause);
            }
            EventMessage<?> event = letter.message();
            if (!(cause instanceof PoisonEvent)) {
                poison.mark(event.getIdentifier(), ProjectionFailures.describe(cause));
                throw new IllegalStateException("Event " + event.getIdentifier() + " can never be applied ("
                        + ProjectionFailures.describe(cause) + "); the batch is retried without it and it is dead-lettered");
            }
            log.warn("Projection group {} dead-lettered event {} ({}) and the later events of its sequence: {}",
                    ProcessingGroups.CORE_VIEWS, event.getIdentifier(), event.getPayloadType().getSimpleName(),
                    cause.getMessage());
            count(meters, ProcessingGroups.CORE_VIEWS, event, "dead-lettered");
            poison.forget(event.getIdentifier()); // a later retry of the letter runs its handlers again
            return Decisions.enqueue(cause);
        };
    }

    /** Events of {@code core-views} found to be poison, until they are dead-lettered (bounded; in memory). */
    @Bean
    PoisonEvents poisonEvents() {
        return new PoisonEvents();
    }

    static final class PoisonEvents {
        private final Map<String, String> marked = java.util.Collections.synchronizedMap(
                new java.util.LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                        return size() > 10_000;
                    }
                });
        private volatile boolean any;

        void mark(String eventId, String why) {
            marked.put(eventId, why);
            any = true;
        }

        void forget(String eventId) {
            marked.remove(eventId);
        }

        String why(String eventId) {
            return any ? marked.get(eventId) : null;
        }
    }

    /** Thrown instead of running a {@code core-views} handler on an event already found to be poison. */
    static final class PoisonEvent extends RuntimeException {
        PoisonEvent(String why) {
            super(why, null, false, false);
        }
    }

    /** Wraps {@code core-views}' event handlers: a marked event fails at once ({@link PoisonEvent}). */
    @Bean
    HandlerEnhancerDefinition poisonEventGuard(PoisonEvents poison) {
        return new HandlerEnhancerDefinition() {
            @Override
            public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
                org.axonframework.config.ProcessingGroup group =
                        original.declaringClass().getAnnotation(org.axonframework.config.ProcessingGroup.class);
                if (group == null || !group.value().equals(ProcessingGroups.CORE_VIEWS)
                        || !original.canHandleMessageType(EventMessage.class)) {
                    return original;
                }
                return new WrappedMessageHandlingMember<>(original) {
                    @Override
                    public Object handle(Message<?> message, T target) throws Exception {
                        String why = poison.why(message.getIdentifier());
                        if (why != null) {
                            throw new PoisonEvent(why);
                        }
                        return super.handle(message, target);
                    }
                };
            }
        };
    }

    private static void skipped(ObjectProvider<MeterRegistry> meters, EventMessage<?> event, EventMessageHandler handler,
                                Exception exception, String outcome) {
        String group = handler.getTargetType() == null ? "?" : groupOf(handler.getTargetType());
        log.warn("Projection {} skipped event {} ({}): its handler failed with a failure retrying cannot fix: {}",
                group, event.getIdentifier(), event.getPayloadType().getSimpleName(), ProjectionFailures.describe(exception));
        count(meters, group, event, outcome);
    }

    private static String groupOf(Class<?> type) {
        org.axonframework.config.ProcessingGroup annotation = type.getAnnotation(org.axonframework.config.ProcessingGroup.class);
        return annotation == null ? type.getSimpleName() : annotation.value();
    }

    private static void count(ObjectProvider<MeterRegistry> meters, String group, EventMessage<?> event, String outcome) {
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Counter.builder(SKIPPED).description("Events a projection could never apply (skipped or dead-lettered)")
                    .tag("group", group).tag("event", event.getPayloadType().getSimpleName()).tag("outcome", outcome)
                    .register(registry).increment();
        }
    }

    /** A transient failure thrown on from the dead-letter policy, so the processor retries the batch. */
    static final class TransientProjectionFailure extends RuntimeException {
        TransientProjectionFailure(Throwable cause) {
            super("transient failure, the batch is retried: " + ProjectionFailures.describe(cause), cause);
        }
    }

    /**
     * Retries {@code core-views}' dead letters once the application is ready and then every interval: a
     * deploy that fixes a handler, or a failure that was transient after all, heals its sequences. A letter
     * that fails again deterministically goes back in the queue (the policy decides again).
     */
    @Bean(destroyMethod = "close")
    DeadLetterRetry deadLetterRetry(EventProcessingConfiguration processing,
                                    @Value("${affnet.processors.dead-letter-retry:10m}") Duration every) {
        return new DeadLetterRetry(processing, every);
    }

    static final class DeadLetterRetry implements ApplicationListener<ApplicationReadyEvent>, AutoCloseable {
        private final EventProcessingConfiguration processing;
        private final Duration every;
        private final ScheduledExecutorService executor =
                Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("dead-letter-retry"));

        DeadLetterRetry(EventProcessingConfiguration processing, Duration every) {
            this.processing = processing;
            this.every = every;
        }

        @Override
        public void onApplicationEvent(ApplicationReadyEvent ready) {
            executor.scheduleWithFixedDelay(() -> retryDeadLetters(processing), 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    static void retryDeadLetters(EventProcessingConfiguration processing) {
        try {
            Optional<SequencedDeadLetterProcessor<EventMessage<?>>> processor =
                    processing.sequencedDeadLetterProcessor(ProcessingGroups.CORE_VIEWS);
            Optional<Long> size = processing.deadLetterQueue(ProcessingGroups.CORE_VIEWS).map(q -> q.amountOfSequences());
            if (processor.isEmpty() || size.orElse(0L) == 0) {
                return;
            }
            long sequences = size.get();
            long healed = 0;
            for (long i = 0; i < sequences; i++) {
                if (processor.get().processAny()) {
                    healed++;
                }
            }
            log.info("Retried {} dead-lettered sequence(s) of {}: {} applied", sequences, ProcessingGroups.CORE_VIEWS, healed);
        } catch (RuntimeException e) {
            log.warn("Retrying the dead letters of {} failed (tried again later): {}", ProcessingGroups.CORE_VIEWS,
                    ProjectionFailures.describe(e));
        }
    }
}
