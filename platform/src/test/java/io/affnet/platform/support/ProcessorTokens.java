package io.affnet.platform.support;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/** Moves a pooled processor's tokens the way an operator's tool would: redelivery and replay tests. */
public final class ProcessorTokens {

    private ProcessorTokens() {
    }

    /**
     * Stops the pooled processor of {@code group}, replaces each segment's token by {@code token(current)},
     * starts it and waits (up to {@code wait}) until every segment is claimed here, none in error, at or
     * past the head the store had when it stopped.
     */
    public static void restartFrom(EventProcessingConfiguration processing, TokenStore tokenStore, EventStore eventStore,
                                   TransactionManager transactions, String group, UnaryOperator<TrackingToken> token,
                                   Duration wait) throws Exception {
        PooledStreamingEventProcessor processor = processing.eventProcessor(group, PooledStreamingEventProcessor.class).orElseThrow();
        processor.shutdownAsync().get(30, TimeUnit.SECONDS);
        long head;
        try {
            head = eventStore.createHeadToken().position().orElseThrow();
            transactions.executeInTransaction(() -> {
                for (int segment : tokenStore.fetchSegments(group)) {
                    tokenStore.storeToken(token.apply(tokenStore.fetchToken(group, segment)), group, segment);
                    tokenStore.releaseClaim(group, segment);
                }
            });
        } finally {
            processor.start();
        }
        await().atMost(wait).until(() -> processor.processingStatus().size() == tokenStore.fetchSegments(group).length
                && processor.processingStatus().values().stream()
                .allMatch(st -> !st.isErrorState() && st.getCurrentPosition().orElse(0) >= head));
    }
}
