package io.affnet.platform.bench;

import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.platform.audit.AuditHistory;
import io.affnet.platform.audit.AuditState;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cost of the audit chain on the click path, and the replay speed. Run alone:
 * {@code ./affnet test -pl platform -am -Dtest=AuditBench -Dbench.batches=40 -Dbench.replay-clicks=200000}.
 * <ol>
 *   <li>Batches of 500 click events (copies of a real click) are appended, alternately, through the platform's
 *       chained engine and through a plain {@code JdbcEventStorageEngine} on the same database, each batch in its
 *       own transaction as the click writer does; the difference per click is what the chain costs.</li>
 *   <li>The tenant then gets {@code bench.replay-clicks} chained clicks, and its state at now is replayed three
 *       times: events per second of the best run.</li>
 * </ol>
 * Last line: {@code plain_us_per_click=… chained_us_per_click=… chain_cost_us_per_click=… replay_events=… replay_events_per_s=…}
 */
class AuditBench extends PlatformIT {

    @Autowired
    EventStorageEngine engine;
    @Autowired
    ConnectionProvider connections;
    @Autowired
    TransactionManager transactions;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;
    @Autowired
    AuditState state;
    @Autowired
    AuditHistory history;

    @Test
    void chainCostAndReplaySpeed() throws Exception {
        int batches = Integer.getInteger("bench.batches", 40);
        int replayClicks = Integer.getInteger("bench.replay-clicks", 200_000);
        Traffic t = Traffic.tenant(this, "bench-audit", false);
        String offer = t.offer("{}", 86400);
        String code = t.link(t.affiliate("bench@example.com", "[]"), offer);
        t.clickId(code);
        ClickRecordedEvent template = template(t.tenantId);

        JdbcEventStorageEngine plain = JdbcEventStorageEngine.builder().snapshotSerializer(serializer).eventSerializer(serializer)
                .connectionProvider(connections).transactionManager(transactions).schema(new EventSchema()).build();
        for (int i = 0; i < 4; i++) {
            append(engine, template, 500);
            append(plain, template, 500);
        }
        long chainedNanos = 0;
        long plainNanos = 0;
        for (int i = 0; i < batches; i++) {
            chainedNanos += append(engine, template, 500);
            plainNanos += append(plain, template, 500);
        }
        double chainedUs = chainedNanos / 1000.0 / (batches * 500L);
        double plainUs = plainNanos / 1000.0 / (batches * 500L);
        System.out.printf("append: %d batches of 500 clicks each way: plain %.1f µs/click, chained %.1f µs/click%n", batches, plainUs, chainedUs);
        System.out.println("chained append, by step: " + ((io.affnet.platform.audit.ChainedEventStorageEngine) engine).costPerEvent());

        for (int done = (4 + batches) * 500; done < replayClicks; done += 500) {
            append(engine, template, 500);
        }
        long best = 0;
        long events = 0;
        for (int run = 0; run < 3; run++) {
            AuditState.Replayed r = state.at(t.tenantId, Instant.now(), null, null);
            events = r.events();
            best = Math.max(best, r.eventsPerSecond());
            System.out.printf("replay %d: %d events in %d ms (%d/s)%n", run, r.scanned(), r.millis(), r.eventsPerSecond());
        }
        assertThat(events).isGreaterThanOrEqualTo(replayClicks);
        System.out.printf("plain_us_per_click=%.1f chained_us_per_click=%.1f chain_cost_us_per_click=%.1f replay_events=%d replay_events_per_s=%d%n",
                plainUs, chainedUs, chainedUs - plainUs, events, best);
    }

    private ClickRecordedEvent template(String tenantId) {
        List<ClickRecordedEvent> found = new ArrayList<>();
        history.read(new AuditHistory.Filter(tenantId, null, null, Set.of(ClickRecordedEvent.class.getName()), null, null, null, 0),
                e -> {
                    found.add((ClickRecordedEvent) e.read().message().getPayload());
                    return false;
                });
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private long append(EventStorageEngine target, ClickRecordedEvent c, int n) {
        List<DomainEventMessage<?>> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            ClickRecordedEvent copy = new ClickRecordedEvent(c.tenantId(), id, c.linkId(), c.linkCode(), c.affiliateId(),
                    c.affiliateVersion(), c.offerId(), c.offerVersion(), c.terms(), c.payoutOverrides(), c.subs(), Instant.now(),
                    c.userAgent(), c.referrer(), c.deviceClass(), c.country(), c.ipHash(), c.ipPrefix(), c.outcome(),
                    c.fallbackReason(), c.decision(), c.unique());
            batch.add(new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, id, 0L, copy,
                    MetaData.with("tenantId", c.tenantId().value())));
        }
        long started = System.nanoTime();
        transactions.executeInTransaction(() -> target.appendEvents(batch));
        return System.nanoTime() - started;
    }
}
