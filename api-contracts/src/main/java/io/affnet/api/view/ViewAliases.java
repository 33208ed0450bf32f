package io.affnet.api.view;

/**
 * Where an Elasticsearch view is read and written: an alias over a versioned index ({@code affnet-tenants}
 * over {@code affnet-tenants-v1}). The index management that answers it ({@code SearchIndices}) is the
 * projections'; readers (query-side) ask through this port, so they share the writer's alias names and
 * never spell them, and a read before the first write finds an empty view rather than a missing one.
 */
public interface ViewAliases {

    /** The alias of {@code view}, created (version {@code version}, with {@code mappingJson}) when it does not exist. */
    String ensure(String view, int version, String mappingJson);
}
