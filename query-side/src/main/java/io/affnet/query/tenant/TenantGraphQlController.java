package io.affnet.query.tenant;

import graphql.schema.DataFetchingEnvironment;
import io.affnet.api.tenant.TenantView;
import io.affnet.web.auth.Caller;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
public class TenantGraphQlController {

    private final TenantQueries tenants;

    public TenantGraphQlController(TenantQueries tenants) {
        this.tenants = tenants;
    }

    @QueryMapping
    public TenantView tenant(@Argument String id, DataFetchingEnvironment env) {
        Caller caller = env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
        if (id == null && caller.tenantId() == null) {
            throw io.affnet.web.problem.ApiProblem.invalid("id", "The operator must name the tenant (id).");
        }
        return tenants.find(caller, id == null ? caller.tenantId().value() : id);
    }
}
