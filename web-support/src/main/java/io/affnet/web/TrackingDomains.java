package io.affnet.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tenants' own tracking host names ({@code tracking_domain}, written by the tenant projection): which
 * tenant a request's {@code Host} is, and which host a tenant's click URLs use. Answers are kept for
 * {@code ttlMillis} (a change reaches every node within it); the number kept is bounded.
 */
public class TrackingDomains {

    private static final int MAX_ENTRIES = 100_000;

    private record Entry(Optional<String> value, long at) {
    }

    private final JdbcTemplate jdbc;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final Map<String, Entry> tenantByHost = new ConcurrentHashMap<>();
    private final Map<String, Entry> hostByTenant = new ConcurrentHashMap<>();

    public TrackingDomains(JdbcTemplate jdbc, long ttlMillis, LongSupplier clock) {
        this.jdbc = jdbc;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    /** The tenant whose tracking domain the request arrived on (its {@code Host}, port aside), if any. */
    public Optional<String> tenantOf(HttpServletRequest request) {
        String host = request.getServerName();
        if (host == null || host.isEmpty() || host.length() > 253) {
            return Optional.empty();
        }
        String h = host.toLowerCase(Locale.ROOT);
        return cached(tenantByHost, h, () -> jdbc.queryForList("SELECT tenant_id FROM tracking_domain WHERE host = ?",
                String.class, h).stream().findFirst());
    }

    /** The host a tenant's click URLs use: its first tracking domain, if it has one. */
    public Optional<String> primaryHost(String tenantId) {
        return cached(hostByTenant, tenantId, () -> jdbc.queryForList(
                "SELECT host FROM tracking_domain WHERE tenant_id = ? ORDER BY position LIMIT 1", String.class, tenantId)
                .stream().findFirst());
    }

    /** A link's click URL: absolute on the tenant's tracking domain (HTTPS), else the path on the platform's host. */
    public String clickUrl(String tenantId, String code) {
        String path = "/c/" + code;
        return primaryHost(tenantId).map(host -> "https://" + host + path).orElse(path);
    }

    /** All tracking domains of a tenant, first one first. */
    public List<String> hostsOf(String tenantId) {
        return jdbc.queryForList("SELECT host FROM tracking_domain WHERE tenant_id = ? ORDER BY position", String.class, tenantId);
    }

    /** Forgets what this node keeps (after this node changed a tenant's domains). */
    public void forget() {
        tenantByHost.clear();
        hostByTenant.clear();
    }

    private Optional<String> cached(Map<String, Entry> map, String key, java.util.function.Supplier<Optional<String>> load) {
        long now = clock.getAsLong();
        Entry e = map.get(key);
        if (e != null && now - e.at() < ttlMillis) {
            return e.value();
        }
        Optional<String> value = load.get();
        if (map.size() >= MAX_ENTRIES) {
            map.clear();
        }
        map.put(key, new Entry(value, now));
        return value;
    }
}
