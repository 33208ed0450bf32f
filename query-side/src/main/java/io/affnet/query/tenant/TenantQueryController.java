package io.affnet.query.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.tenant.TenantView;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/tenants")
public class TenantQueryController {

    private final TenantQueries tenants;

    public TenantQueryController(TenantQueries tenants) {
        this.tenants = tenants;
    }

    @GetMapping("/{id}")
    @Access({Role.OPERATOR, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE, Role.ADVERTISER})
    @Operation(summary = "The caller's tenant (another tenant's id answers 404)",
            security = @SecurityRequirement(name = "bearer"))
    public TenantView get(Caller caller, @PathVariable("id") String id) {
        return tenants.find(caller, id);
    }
}
