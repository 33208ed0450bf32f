package io.affnet.query.tenant;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.GetResponse;
import io.affnet.api.tenant.FindTenantQuery;
import io.affnet.api.tenant.TenantView;
import io.affnet.api.tenant.TenantDocument;
import io.affnet.api.view.ViewAliases;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.Optional;

/**
 * Answers tenant queries from the Elasticsearch view the projection maintains ({@link TenantDocument}); the
 * one reader of that view on the query side (the report scope asks it for the tenant's zone and currency).
 */
@Component
public class TenantQueryHandler {

    private final ElasticsearchClient elasticsearch;
    private final ViewAliases indices;

    public TenantQueryHandler(ElasticsearchClient elasticsearch, ViewAliases indices) {
        this.elasticsearch = elasticsearch;
        this.indices = indices;
    }

    @QueryHandler
    public Optional<TenantView> handle(FindTenantQuery query) throws IOException {
        String alias = indices.ensure(TenantDocument.VIEW, TenantDocument.VERSION, TenantDocument.MAPPING);
        GetResponse<TenantDocument> response = elasticsearch.get(g -> g.index(alias).id(query.tenantId().value())
                .routing(query.tenantId().value()), TenantDocument.class);
        if (!response.found() || response.source() == null) {
            return Optional.empty();
        }
        TenantDocument d = response.source();
        return Optional.of(new TenantView(d.tenantId(), d.slug(), d.name(), d.timezone(), d.currency(), d.status(),
                d.registeredAt()));
    }
}
