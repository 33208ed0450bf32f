package io.affnet.command.distribution;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

@Configuration(proxyBeanMethods = false)
public class DistributionConfiguration {

    @Bean
    LearningStates learningStates(StringRedisTemplate redis) {
        return new LearningStates(redis);
    }

    @Bean
    SmartLinkSelector smartLinkSelector(LearningStates states) {
        return new SmartLinkSelector(states);
    }

    /**
     * The projection asks, at each flush, whether this node's learner holds its segment (read lazily: the
     * processor is built from this very bean).
     */
    @Bean
    DistributionStatsProjection distributionStatsProjection(LearningStates states,
                                                            ObjectProvider<EventProcessingConfiguration> processing) {
        return new DistributionStatsProjection(states, () -> holdsSegment(processing.getIfAvailable()));
    }

    static boolean holdsSegment(EventProcessingConfiguration processing) {
        if (processing == null) {
            return true;
        }
        return processing.eventProcessor(DistributionStatsProjection.GROUP, StreamingEventProcessor.class)
                .map(p -> !p.processingStatus().isEmpty()).orElse(true);
    }

    /** Learning state: the projection writes snapshots each second; every node reloads them every few seconds. */
    @Bean
    DisposableBean distributionSchedule(SmartLinkSelector selector, DistributionStatsProjection projection,
                                        @Value("${affnet.distribution.flush-ms:1000}") long flushMs,
                                        @Value("${affnet.distribution.refresh-ms:2000}") long refreshMs) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "distribution-learning");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> runQuietly(projection::flush), flushMs, flushMs, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> runQuietly(selector::refresh), refreshMs, refreshMs, TimeUnit.MILLISECONDS);
        return scheduler::shutdownNow;
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DistributionConfiguration.class).warn("Learning-state task failed: {}", e.toString());
        }
    }
}
