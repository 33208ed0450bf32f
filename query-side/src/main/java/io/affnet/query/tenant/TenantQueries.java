package io.affnet.query.tenant;

import io.affnet.api.common.TenantId;
import io.affnet.api.tenant.FindTenantQuery;
import io.affnet.api.tenant.TenantView;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The one tenant-scoped read path shared by REST and GraphQL: a caller sees its own tenant and nothing
 * else; another tenant's id answers exactly like an id that does not exist.
 */
@Component
public class TenantQueries {

    private final QueryGateway queries;

    public TenantQueries(QueryGateway queries) {
        this.queries = queries;
    }

    public TenantView find(Caller caller, String tenantId) {
        if (!io.affnet.api.common.Text.isId(tenantId)) {
            throw ApiProblem.invalid("id", "A tenant id is 1 to 128 characters of A-Z, a-z, 0-9, '_', '-', '.' and '~'.");
        }
        if (!caller.isOperator() && !caller.tenantId().value().equals(tenantId)) {
            throw ApiProblem.notFound("Tenant");
        }
        Optional<TenantView> view = queries.query(new FindTenantQuery(TenantId.of(tenantId)),
                ResponseTypes.optionalInstanceOf(TenantView.class)).join();
        return view.orElseThrow(() -> ApiProblem.notFound("Tenant"));
    }
}
