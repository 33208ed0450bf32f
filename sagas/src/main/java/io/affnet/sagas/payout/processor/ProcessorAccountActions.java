package io.affnet.sagas.payout.processor;

import io.affnet.api.payout.ProcessorConnections;
import io.affnet.api.payout.ProcessorCredentials;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a tenant admin may do with the tenant's processor accounts ({@link ProcessorConnections}): connect
 * one and see which are connected. The HTTP edge is {@code ProcessorAccountController} on the command
 * side; the credentials stay here, sealed by {@link ProcessorAccountStore}.
 */
public class ProcessorAccountActions implements ProcessorConnections {

    private final ProcessorAccountStore store;
    private final ProcessorProperties properties;

    public ProcessorAccountActions(ProcessorAccountStore store, ProcessorProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Override
    public Optional<String> apiBaseRefusal(String apiBase) {
        return ApiBases.refusal(apiBase, properties.allowLocalApiBase());
    }

    @Override
    public Instant connect(String tenantId, String processor, ProcessorCredentials credentials) {
        return store.save(tenantId, ProcessorName.valueOf(processor), credentials);
    }

    @Override
    public Map<String, Instant> connectedSince(String tenantId) {
        Map<String, Instant> since = new LinkedHashMap<>();
        store.connections(tenantId).forEach(c -> since.putIfAbsent(c.processor().name(), c.connectedAt()));
        return since;
    }
}
