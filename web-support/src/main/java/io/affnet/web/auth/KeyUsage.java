package io.affnet.web.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Remembers when each key was last used and writes those times in one batch every few seconds, so a
 * busy key costs one row update per interval, not one write per request. A time lost in a crash is
 * only a display value.
 */
public class KeyUsage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeyUsage.class);

    private final JdbcTemplate jdbc;
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "api-key-usage");
        t.setDaemon(true);
        return t;
    });

    public KeyUsage(JdbcTemplate jdbc, long flushMillis) {
        this.jdbc = jdbc;
        flusher.scheduleWithFixedDelay(this::flushQuietly, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    public void used(String keyId, Instant at) {
        pending.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (String keyId : List.copyOf(pending.keySet())) {
            Instant at = pending.remove(keyId);
            if (at != null) {
                Timestamp t = Timestamp.from(at);
                rows.add(new Object[]{t, keyId, t});
            }
        }
        jdbc.batchUpdate("UPDATE api_key SET last_used_at = ? WHERE key_id = ? AND (last_used_at IS NULL OR last_used_at < ?)", rows);
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Could not record API-key usage times: {}", e.toString());
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flushQuietly();
    }
}
