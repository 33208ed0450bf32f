package io.affnet.platform.ops;

import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the conversions this node records, by outcome: {@code recorded} (tagged with the status it
 * was credited with) or {@code rejected} (tagged with the reason). A subscribing processor: it sees
 * the events this node publishes as they are published, and never replays history.
 */
@ProcessingGroup(ConversionMeters.GROUP)
public class ConversionMeters {

    public static final String GROUP = "metrics";
    static final String NAME = "affnet.conversions";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ConversionMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @EventHandler
    void on(ConversionRecordedEvent event) {
        count("recorded", "status", event.status() == null ? "unknown" : event.status().name().toLowerCase());
    }

    @EventHandler
    void on(ConversionRejectedEvent event) {
        count("rejected", "reason", event.reason() == null ? "unknown" : event.reason().code());
    }

    private void count(String outcome, String detailKey, String detail) {
        counters.computeIfAbsent(outcome + '/' + detail, k -> Counter.builder(NAME)
                .description("Conversions recorded or rejected on this node")
                .tag("outcome", outcome).tag("status", detailKey.equals("status") ? detail : "")
                .tag("reason", detailKey.equals("reason") ? detail : "")
                .register(registry)).increment();
    }
}
