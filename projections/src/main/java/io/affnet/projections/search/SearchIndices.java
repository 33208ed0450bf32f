package io.affnet.projections.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.indices.Alias;
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
 */
public class SearchIndices {

    private static final Logger log = LoggerFactory.getLogger(SearchIndices.class);

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
    public String ensure(String view, int version, String mappingJson) {
        String alias = alias(view);
        ensured.computeIfAbsent(alias, a -> {
            try {
                if (!client.indices().existsAlias(r -> r.name(a)).value()) {
                    String index = a + "-v" + version;
                    if (!client.indices().exists(r -> r.index(index)).value()) {
                        client.indices().create(r -> r.index(index)
                                .settings(s -> s.numberOfShards("1").numberOfReplicas("0").refreshInterval(t -> t.time("1s")))
                                .mappings(m -> m.withJson(new StringReader(mappingJson)))
                                .aliases(a, Alias.of(x -> x.isWriteIndex(true))));
                        log.info("Created Elasticsearch index {} behind alias {}", index, a);
                    } else {
                        client.indices().putAlias(r -> r.index(index).name(a).isWriteIndex(true));
                    }
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("Elasticsearch unreachable while preparing " + a, e);
            }
        });
        return alias;
    }

    /** Forgets what was ensured, so the next write recreates a dropped index (tests and resets). */
    public void forget() {
        ensured.clear();
    }
}
