package io.affnet.platform.config;

import io.affnet.domain.outbound.PostbackEndpoint;
import io.affnet.projections.outbound.OutboundEndpointProjection;
import io.affnet.sagas.delivery.DeliveryEnqueuer;
import io.affnet.sagas.delivery.OutboundProperties;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.modelling.command.Repository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Outbound postbacks: the endpoint aggregate, its same-transaction read model, and the enqueuing processor. */
@Configuration(proxyBeanMethods = false)
public class OutboundConfiguration {

    @Bean
    Repository<PostbackEndpoint> postbackEndpointRepository(EventStore eventStore) {
        return EventSourcingRepository.builder(PostbackEndpoint.class).eventStore(eventStore).build();
    }

    /**
     * The endpoint read model subscribes (a pause must stop delivery at once). The enqueuer is a pooled
     * streaming processor that starts at the head of the stream when it first runs, so deploying it
     * never sends postbacks for past conversions, and whose handler errors stop and retry the batch
     * (instead of logging and skipping, the default) so no conversion's postback is lost. Its batch size
     * and first segment count are {@code affnet.outbound.enqueue-batch-size} and {@code enqueue-segments}.
     */
    @Bean
    ConfigurerModule outboundProcessing(OutboundProperties properties) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerSubscribingEventProcessor(OutboundEndpointProjection.GROUP)
                .assignProcessingGroup(OutboundEndpointProjection.GROUP, OutboundEndpointProjection.GROUP)
                .registerPooledStreamingEventProcessor(DeliveryEnqueuer.GROUP,
                        org.axonframework.config.Configuration::eventStore,
                        (config, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken)
                                .initialSegmentCount(properties.enqueueSegments())
                                .batchSize(properties.enqueueBatchSize()))
                .registerListenerInvocationErrorHandler(DeliveryEnqueuer.GROUP, config -> PropagatingErrorHandler.instance()));
    }
}
