package io.affnet.platform.config;

import io.affnet.domain.advertiser.Advertiser;
import io.affnet.domain.affiliate.Affiliate;
import io.affnet.domain.link.Link;
import io.affnet.domain.offer.Offer;
import io.affnet.projections.config.ConfigEntityProjection;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.Repository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The tenant configuration's aggregates and the read model that must change with their events. */
@Configuration(proxyBeanMethods = false)
public class ConfigAggregatesConfiguration {

    @Bean
    Repository<Advertiser> advertiserRepository(EventStore eventStore) {
        return EventSourcingRepository.builder(Advertiser.class).eventStore(eventStore).build();
    }

    @Bean
    Repository<Offer> offerRepository(EventStore eventStore) {
        return EventSourcingRepository.builder(Offer.class).eventStore(eventStore).build();
    }

    @Bean
    Repository<Affiliate> affiliateRepository(EventStore eventStore) {
        return EventSourcingRepository.builder(Affiliate.class).eventStore(eventStore).build();
    }

    @Bean
    Repository<Link> linkRepository(EventStore eventStore) {
        return EventSourcingRepository.builder(Link.class).eventStore(eventStore).build();
    }

    /**
     * {@code config_entity} subscribes: the command side checks references against it (an offer's
     * advertiser, a link's offers), so it must change in the transaction that appends the event.
     */
    @Bean
    ConfigurerModule configEntityProcessing() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerSubscribingEventProcessor(ConfigEntityProjection.GROUP)
                .assignProcessingGroup(ConfigEntityProjection.GROUP, ConfigEntityProjection.GROUP));
    }
}
