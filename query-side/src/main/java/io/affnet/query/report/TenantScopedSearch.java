package io.affnet.query.report;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import io.affnet.api.common.Role;
import io.affnet.api.report.ReportSchema;
import io.affnet.api.common.TenantId;
import io.affnet.api.tenant.FindTenantQuery;
import io.affnet.api.tenant.TenantView;
import io.affnet.query.tenant.TenantQueryHandler;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The one door to the report indices. Every report and log search goes through {@link #search}, which
 * sets the query itself: the caller's tenant, the caller's own slice (an affiliate sees its traffic, an
 * advertiser its offers) and then whatever the report asked for. Nothing else in the code queries these
 * indices, so no path can forget the tenant.
 */
public class TenantScopedSearch {

    /**
     * The caller's tenant, what of it the caller may see (its rows: {@code restrictions}; its fields:
     * {@code viewer}), and how its figures are shown.
     */
    public record Scope(String tenantId, ZoneId zone, String currency, List<Query> restrictions, FieldGrants.Viewer viewer) {

        /** A staff member's scope (every field). */
        public Scope(String tenantId, ZoneId zone, String currency, List<Query> restrictions) {
            this(tenantId, zone, currency, restrictions, FieldGrants.Viewer.staff());
        }
    }

    private record TenantFacts(ZoneId zone, String currency) {
    }

    private final ElasticsearchClient client;
    private final TenantQueryHandler tenantViews;
    private final ReportSharingReads sharing;
    private final Map<String, TenantFacts> tenants = new ConcurrentHashMap<>();

    public TenantScopedSearch(ElasticsearchClient client, TenantQueryHandler tenantViews, ReportSharingReads sharing) {
        this.client = client;
        this.tenantViews = tenantViews;
        this.sharing = sharing;
    }

    public Scope scope(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE, Role.ADVERTISER);
        String tenantId = caller.tenantId().value();
        TenantFacts facts = tenants.computeIfAbsent(tenantId, this::load);
        List<Query> restrictions = new ArrayList<>();
        restrictions.add(term(ReportSchema.TENANT_ID, tenantId));
        // Principal keys (issue 6) carry the affiliate or advertiser id as principalId: one line each.
        switch (caller.role()) {
            case AFFILIATE -> restrictions.add(term(ReportSchema.AFFILIATE_ID, caller.principalId()));
            case ADVERTISER -> restrictions.add(term(ReportSchema.ADVERTISER_ID, caller.principalId()));
            default -> {
            }
        }
        return new Scope(tenantId, facts.zone(), facts.currency(), List.copyOf(restrictions),
                new FieldGrants.Viewer(caller.role(), caller.role() == Role.ADVERTISER && sharesAffiliates(tenantId)));
    }

    /** Read per advertiser request (one primary-key lookup), so a change holds from the next request on. */
    private boolean sharesAffiliates(String tenantId) {
        return sharing.advertisersSeeAffiliates(tenantId);
    }

    /** Runs a search on {@code aliases}; {@code request} sets aggregations, sort and size, the query is set here. */
    public <T> SearchResponse<T> search(Scope scope, List<String> aliases, Query query,
                                        Consumer<SearchRequest.Builder> request, Class<T> type) {
        SearchRequest.Builder builder = new SearchRequest.Builder();
        request.accept(builder);
        builder.index(aliases).routing(scope.tenantId()).query(scoped(scope, query)).ignoreUnavailable(true);
        try {
            return client.search(builder.build(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable", e);
        }
    }

    public long count(Scope scope, List<String> aliases, Query query) {
        try {
            return client.count(c -> c.index(aliases).routing(scope.tenantId()).query(scoped(scope, query))
                    .ignoreUnavailable(true)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable", e);
        }
    }

    private static Query scoped(Scope scope, Query query) {
        List<Query> filters = new ArrayList<>(scope.restrictions());
        if (query != null) {
            filters.add(query);
        }
        return Query.of(q -> q.bool(b -> b.filter(filters)));
    }

    public static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    /** The tenant's zone and currency, from the tenant view's one reader on this side. */
    private TenantFacts load(String tenantId) {
        try {
            TenantView tenant = tenantViews.handle(new FindTenantQuery(TenantId.of(tenantId)))
                    .orElseThrow(() -> ApiProblem.notFound("Tenant"));
            return new TenantFacts(ZoneId.of(tenant.timezone()), tenant.currency());
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable", e);
        }
    }
}
