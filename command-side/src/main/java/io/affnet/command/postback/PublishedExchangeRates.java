package io.affnet.command.postback;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.conversion.ExchangeRate;
import io.affnet.api.conversion.ExchangeRatesPublishedEvent;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The exchange rates sales are converted with: the latest set a {@link RateSource} gave. A set the
 * platform has not used before is kept in {@code fx_rate_set} (this class owns that table) and
 * published as an {@link ExchangeRatesPublishedEvent}, in one transaction, before any conversion
 * uses it. When the source cannot be read, the last set the platform used stays in force (at start:
 * the newest row of {@code fx_rate_set}).
 */
public class PublishedExchangeRates implements ExchangeRates {

    private static final Logger log = LoggerFactory.getLogger(PublishedExchangeRates.class);

    private final RateSource source;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final EventGateway events;
    private final Clock clock;
    private final AtomicReference<RateSet> current = new AtomicReference<>();

    public PublishedExchangeRates(RateSource source, JdbcTemplate jdbc, TransactionTemplate transactions, EventGateway events,
                                  Clock clock) {
        this.source = source;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Optional<ExchangeRate> rate(String from, String to) {
        RateSet set = current();
        return set == null ? Optional.empty() : set.rate(from, to);
    }

    @Override
    public boolean knows(String currency) {
        RateSet set = current();
        return set != null && set.knows(currency);
    }

    /** The set in force; the first call loads one. */
    public RateSet current() {
        RateSet set = current.get();
        if (set == null) {
            synchronized (this) {
                if (current.get() == null) {
                    refresh();
                }
            }
            set = current.get();
        }
        return set;
    }

    /** Loads the source; a new set is recorded and published, then used. Returns whether the set changed. */
    public boolean refresh() {
        RateSet loaded;
        try {
            loaded = source.load();
        } catch (Exception e) {
            if (current.get() == null) {
                current.compareAndSet(null, lastUsed());
            }
            log.warn("Exchange rates not refreshed, keeping the set of {}: {}",
                    current.get() == null ? "none" : current.get().asOf(), e.toString());
            return false;
        }
        RateSet before = current.get();
        if (before != null && before.id().equals(loaded.id())) {
            return false;
        }
        record(loaded);
        current.set(loaded);
        log.info("Exchange rates in force: {} of {} ({} currencies, set {})", loaded.source(), loaded.asOf(),
                loaded.unitsPerBase().size(), loaded.id());
        return true;
    }

    private void record(RateSet set) {
        transactions.executeWithoutResult(status -> {
            int inserted = jdbc.update("""
                            INSERT INTO fx_rate_set (set_id, source, as_of, base, rates, published_at)
                            VALUES (?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (set_id) DO NOTHING""",
                    set.id(), set.source(), set.asOf(), set.base(), json(set.asText()),
                    java.sql.Timestamp.from(clock.instant()));
            if (inserted == 1) {
                events.publish(new ExchangeRatesPublishedEvent(set.id(), set.source(), set.asOf(), set.base(), set.asText(),
                        clock.instant()));
            }
        });
    }

    private RateSet lastUsed() {
        List<RateSet> rows = jdbc.query("SELECT source, as_of, base, rates::text FROM fx_rate_set ORDER BY published_at DESC LIMIT 1",
                (rs, i) -> {
                    Map<String, BigDecimal> rates = new HashMap<>();
                    readMap(rs.getString(4)).forEach((c, v) -> rates.put(c, new BigDecimal(v)));
                    return new RateSet(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getString(3), rates);
                });
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static String json(Map<String, String> rates) {
        try {
            return ConfigCacheJson.MAPPER.writeValueAsString(rates);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> readMap(String json) {
        try {
            return ConfigCacheJson.MAPPER.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
