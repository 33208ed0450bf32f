package io.affnet.command.postback;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.Cidr;
import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.tenant.PostbackSettings;
import io.affnet.web.auth.ApiKeys;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a postback's token to its tenant, a tenant to its postback settings and an advertiser to its
 * postback IP allowlist, from the
 * same-transaction read models, remembering answers for {@code ttlMillis} so a burst of postbacks
 * does not query PostgreSQL for each (a revoked token stops working within that time).
 */
public class PostbackCredentials {

    private final JdbcTemplate jdbc;
    private final ApiKeys hasher;
    private final long ttlMillis;
    private final ObjectMapper json = ConfigCacheJson.MAPPER;
    private final Map<String, Remembered<Optional<String>>> tenants = new ConcurrentHashMap<>();
    private final Map<String, Remembered<PostbackSettings>> settings = new ConcurrentHashMap<>();
    private final Map<String, Remembered<List<Cidr>>> allowlists = new ConcurrentHashMap<>();

    private record Remembered<T>(T value, long at) {
    }

    public PostbackCredentials(JdbcTemplate jdbc, ApiKeys hasher, long ttlMillis) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.ttlMillis = ttlMillis;
    }

    /** The tenant whose active token this is. */
    public Optional<String> tenantOf(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        String hash = hasher.hash(token);
        long now = System.currentTimeMillis();
        Remembered<Optional<String>> r = tenants.get(hash);
        if (r == null || now - r.at() > ttlMillis) {
            List<String> found = jdbc.queryForList(
                    "SELECT tenant_id FROM postback_token WHERE token_hash = ? AND revoked_at IS NULL", String.class, hash);
            r = new Remembered<>(found.stream().findFirst(), now);
            if (tenants.size() > 100_000) {
                tenants.clear();
            }
            tenants.put(hash, r);
        }
        return r.value();
    }

    public PostbackSettings settings(String tenantId) {
        long now = System.currentTimeMillis();
        Remembered<PostbackSettings> r = settings.get(tenantId);
        if (r == null || now - r.at() > ttlMillis) {
            List<String> found = jdbc.queryForList("SELECT settings::text FROM tenant_postback_settings WHERE tenant_id = ?",
                    String.class, tenantId);
            PostbackSettings value = PostbackSettings.defaults();
            if (!found.isEmpty()) {
                try {
                    value = json.readValue(found.get(0), PostbackSettings.class);
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable postback settings of " + tenantId, e);
                }
            }
            r = new Remembered<>(value, now);
            settings.put(tenantId, r);
        }
        return r.value();
    }

    /** The CIDR ranges an advertiser's postbacks must come from; empty = anywhere. */
    public List<Cidr> allowlist(String tenantId, String advertiserId) {
        if (advertiserId == null) {
            return List.of();
        }
        String key = tenantId + '|' + advertiserId;
        long now = System.currentTimeMillis();
        Remembered<List<Cidr>> r = allowlists.get(key);
        if (r == null || now - r.at() > ttlMillis) {
            List<String> bodies = jdbc.queryForList(
                    "SELECT body::text FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?", String.class,
                    tenantId, ConfigEntityKinds.ADVERTISER, advertiserId);
            List<Cidr> ranges = new ArrayList<>();
            if (!bodies.isEmpty()) {
                try {
                    json.readTree(bodies.get(0)).path("postbackIpAllowlist").forEach(n -> ranges.add(Cidr.parse(n.asText())));
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable advertiser " + advertiserId, e);
                }
            }
            r = new Remembered<>(List.copyOf(ranges), now);
            allowlists.put(key, r);
        }
        return r.value();
    }

    public void forget() {
        tenants.clear();
        settings.clear();
        allowlists.clear();
    }
}
