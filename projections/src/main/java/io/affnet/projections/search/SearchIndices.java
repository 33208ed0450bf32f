package io.affnet.projections.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch.indices.Alias;
import co.elastic.clients.elasticsearch.indices.IndexSettings;
import co.elastic.clients.elasticsearch.indices.TranslogDurability;
import io.affnet.api.view.ViewAliases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Owns the Elasticsearch indices of the read side. Every view is written and read through an alias
 * ({@code affnet-tenants}) that points at a versioned index ({@code affnet-tenants-v1}), so a rebuild can
 * fill a new version and swap the alias without downtime. Mappings live in code, created on demand.
 * Readers outside projections find the aliases through the {@link ViewAliases} port.
 */
public class SearchIndices implements ViewAliases {

    private static final Logger log = LoggerFactory.getLogger(SearchIndices.class);

    private static final String REFRESH = "1s";
    private static final String REPLICAS = "0";

    private final ElasticsearchClient client;
    private final String prefix;
    private final Map<String, Boolean> ensured = new ConcurrentHashMap<>();

    public SearchIndices(ElasticsearchClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    public String alias(String view) {
        return prefix + view;
    }

    /** Makes sure the alias of {@code view} exists, creating version {@code version} with {@code mappingJson}. */
    @Override
    public String ensure(String view, int version, String mappingJson) {
        return ensure(view, version, mappingJson, null);
    }

    /**
     * As {@link #ensure(String, int, String)}, with the refresh interval the index behind the alias must
     * have (null: 1 s when it is created, an existing index as it is). An existing index gets a changed
     * interval the first time this node asks.
     */
    public String ensure(String view, int version, String mappingJson, String refreshInterval) {
        String alias = alias(view);
        String refresh = refreshInterval == null ? REFRESH : refreshInterval;
        ensured.computeIfAbsent(alias, a -> {
            try {
                if (!client.indices().existsAlias(r -> r.name(a)).value()) {
                    String index = a + "-v" + version;
                    if (!client.indices().exists(r -> r.index(index)).value()) {
                        client.indices().create(r -> r.index(index)
                                .settings(s -> s.numberOfShards("1").numberOfReplicas(REPLICAS).refreshInterval(t -> t.time(refresh)))
                                .mappings(m -> m.withJson(new StringReader(mappingJson)))
                                .aliases(a, Alias.of(x -> x.isWriteIndex(true))));
                        log.info("Created Elasticsearch index {} behind alias {}", index, a);
                        return true;
                    }
                    client.indices().putAlias(r -> r.index(index).name(a).isWriteIndex(true));
                } else {
                    addNewFields(a, mappingJson);
                }
                if (refreshInterval != null) {
                    client.indices().putSettings(r -> r.index(a).settings(s -> s.refreshInterval(t -> t.time(refreshInterval))));
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("Elasticsearch unreachable while preparing " + a, e);
            }
        });
        return alias;
    }

    /**
     * An index made by an older version of the code keeps serving until a rebuild replaces it (and index
     * names count rebuilds as well as mapping versions, so the name does not tell). Fields the code's
     * mapping adds are put on it, once per node, so documents with them are accepted meanwhile (the
     * mappings are strict). Anything but additions needs a rebuild, and Elasticsearch refuses it here.
     */
    private void addNewFields(String alias, String mappingJson) throws IOException {
        client.indices().putMapping(r -> r.index(alias).withJson(new StringReader(mappingJson)));
    }

    /** The concrete index the alias points at now (its write index), or null when the alias is missing. */
    public String currentIndex(String alias) {
        try {
            if (!client.indices().existsAlias(r -> r.name(alias)).value()) {
                return null;
            }
            var aliases = client.indices().getAlias(r -> r.name(alias)).result();
            return aliases.keySet().stream().sorted().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable while reading alias " + alias, e);
        }
    }

    /** The version number in a versioned index name ({@code …-v3} → 3). */
    public static int versionOf(String index) {
        return Integer.parseInt(index.substring(index.lastIndexOf("-v") + 2));
    }

    /**
     * Creates {@code index} with {@code mappingJson}, not behind any alias yet, for a rebuild to fill:
     * no refreshes, no replicas and an asynchronous translog while it loads (nobody reads it yet, and a
     * failed rebuild starts again from an empty index). {@link #goLive} gives it the live settings.
     */
    public void createIndex(String index, String mappingJson) {
        try {
            if (client.indices().exists(r -> r.index(index)).value()) {
                client.indices().delete(r -> r.index(index));
            }
            client.indices().create(r -> r.index(index)
                    .settings(s -> s.numberOfShards("1").numberOfReplicas("0").refreshInterval(t -> t.time("-1"))
                            .translog(t -> t.durability(TranslogDurability.Async)))
                    .mappings(m -> m.withJson(new StringReader(mappingJson))));
            log.info("Created Elasticsearch index {} for bulk loading", index);
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable while creating " + index, e);
        }
    }

    /**
     * Gives an index that {@link #createIndex} made the refresh interval {@code refreshInterval} (null:
     * that of {@code like}, the index it replaces), the replicas of {@code like} (none when there is no
     * such index), a synchronous translog, and refreshes it, so it answers with every document from the
     * moment an alias points at it.
     */
    public void goLive(String index, String like, String refreshInterval) {
        try {
            String refresh = refreshInterval == null ? REFRESH : refreshInterval;
            String replicas = REPLICAS;
            if (like != null) {
                IndexSettings live = client.indices().getSettings(r -> r.index(like).includeDefaults(false)).get(like).settings();
                IndexSettings values = live == null ? null : live.index() != null ? live.index() : live;
                if (refreshInterval == null && values != null && values.refreshInterval() != null
                        && values.refreshInterval().time() != null) {
                    refresh = values.refreshInterval().time();
                }
                if (values != null && values.numberOfReplicas() != null) {
                    replicas = values.numberOfReplicas();
                }
            }
            String interval = refresh;
            String numberOfReplicas = replicas;
            client.indices().putSettings(r -> r.index(index).settings(s -> s.refreshInterval(t -> t.time(interval))
                    .numberOfReplicas(numberOfReplicas).translog(t -> t.durability(TranslogDurability.Request))));
            client.indices().refresh(r -> r.index(index));
            if (!"0".equals(numberOfReplicas)) {
                client.cluster().health(r -> r.index(index).waitForStatus(HealthStatus.Green).timeout(t -> t.time("10m")));
            }
            log.info("Index {} is live: refresh {}, {} replicas", index, interval, numberOfReplicas);
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable while preparing " + index, e);
        }
    }

    /** Points {@code alias} from {@code from} to {@code to} in one atomic request, then deletes {@code from}. */
    public void swap(String alias, String from, String to) {
        try {
            client.indices().updateAliases(r -> r
                    .actions(a -> a.remove(x -> x.index(from).alias(alias)))
                    .actions(a -> a.add(x -> x.index(to).alias(alias).isWriteIndex(true))));
            client.indices().delete(r -> r.index(from));
            log.info("Alias {} now points at {}; dropped {}", alias, to, from);
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable while swapping " + alias, e);
        }
    }

    /** The documents in {@code alias} (searchable ones), 0 when it does not exist. */
    public long count(String alias) {
        try {
            return client.count(r -> r.index(alias).ignoreUnavailable(true)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable while counting " + alias, e);
        }
    }

    /** The {@code _meta} value {@code key} of the index behind {@code alias}, or null. */
    public String meta(String alias, String key) {
        try {
            var mappings = client.indices().getMapping(r -> r.index(alias)).result();
            for (var m : mappings.values()) {
                if (m.mappings().meta() != null && m.mappings().meta().get(key) != null) {
                    return m.mappings().meta().get(key).to(String.class);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable while reading " + alias, e);
        }
    }

    /** Sets the {@code _meta} value {@code key} of the indices behind {@code alias} (other keys are replaced). */
    public void putMeta(String alias, String key, String value) {
        try {
            client.indices().putMapping(r -> r.index(alias).meta(key, co.elastic.clients.json.JsonData.of(value)));
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable while preparing " + alias, e);
        }
    }

    /** Forgets what was ensured, so the next write recreates a dropped index (tests and resets). */
    public void forget() {
        ensured.clear();
    }
}
