package io.affnet.platform.config;

import io.affnet.domain.ledger.AffiliateLedger;
import io.affnet.domain.payout.PayoutProfile;
import io.affnet.domain.payout.PayoutRun;
import io.affnet.domain.payout.TenantPayoutTerms;
import io.affnet.projections.ledger.LedgerProjection;
import io.affnet.projections.payout.PayoutProjection;
import io.affnet.projections.payout.PayoutSettingsView;
import io.affnet.sagas.payout.LedgerIntake;
import io.affnet.sagas.payout.LedgerSequencingPolicy;
import io.affnet.sagas.payout.PayoutDispatcher;
import io.affnet.sagas.payout.PayoutSaga;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The money aggregates (an affiliate's ledger, payout runs, payout methods, payout terms). They are
 * registered with Axon's configurer, not as bare repositories, so their command handlers are found and
 * the deadline manager can load an aggregate when a hold period ends.
 */
@Configuration(proxyBeanMethods = false)
public class PayoutsConfiguration {

    /**
     * An affiliate's ledger is replayed from its events on load, and it gains an event with every earning,
     * hold release and payout, so without a cache each posting would read the affiliate's whole history
     * again (linear in the affiliate's conversions). The most recently used ledgers stay in memory
     * ({@code affnet.ledger.cache-size}, 0 turns it off); see {@link BoundedAggregateCache} for how a
     * copy another node made stale is handled. Every money aggregate finds its commands' target through
     * {@link CachedCommandTargetResolver} (Axon's own reflects over the command class on every command).
     */
    @Bean
    ConfigurerModule payoutAggregates(@Value("${affnet.ledger.cache-size:2000}") long ledgerCacheSize) {
        CachedCommandTargetResolver targets = new CachedCommandTargetResolver();
        AggregateConfigurer<AffiliateLedger> ledger = AggregateConfigurer.defaultConfiguration(AffiliateLedger.class)
                .configureCommandTargetResolver(c -> targets);
        if (ledgerCacheSize > 0) {
            BoundedAggregateCache cache = new BoundedAggregateCache(ledgerCacheSize);
            ledger.configureCache(c -> cache);
        }
        return configurer -> configurer
                .configureAggregate(ledger)
                .configureAggregate(AggregateConfigurer.defaultConfiguration(PayoutRun.class)
                        .configureCommandTargetResolver(c -> targets))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(PayoutProfile.class)
                        .configureCommandTargetResolver(c -> targets))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(TenantPayoutTerms.class)
                        .configureCommandTargetResolver(c -> targets));
    }

    /**
     * The money path's processors never skip an event. Axon's default error handler logs a handler's
     * exception and goes on with the next event, which for the ledger means an earning silently never
     * posted (seen: the demo seed lost 55 to lock deadlocks). Here a failure fails the batch, which rolls
     * back and is retried by the processor; every handler of these groups is idempotent. The ledger intake
     * is sequenced per ledger ({@link LedgerSequencingPolicy}), which removes the deadlocks themselves.
     */
    @Bean
    ConfigurerModule moneyProcessing() {
        return configurer -> configurer.eventProcessing(processing -> {
            // Terms and payout methods are in force once their request is answered (PayoutSettingsView).
            processing.registerSubscribingEventProcessor(PayoutSettingsView.GROUP)
                    .assignProcessingGroup(PayoutSettingsView.GROUP, PayoutSettingsView.GROUP);
            processing.registerSequencingPolicy(LedgerIntake.GROUP, config -> new LedgerSequencingPolicy());
            for (String group : MONEY_GROUPS) {
                processing.registerListenerInvocationErrorHandler(group, config -> PropagatingErrorHandler.instance());
            }
        });
    }

    /** The processing groups of the ledger and the payouts (the saga's is its class name and "Processor"). */
    static final List<String> MONEY_GROUPS = List.of(LedgerIntake.GROUP, LedgerProjection.GROUP, PayoutProjection.GROUP,
            PayoutDispatcher.GROUP, PayoutSaga.class.getSimpleName() + "Processor");
}
