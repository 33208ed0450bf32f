package io.affnet.query.ledger;

import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * An affiliate's commission balances per currency, from the commissions read model: pending (awaiting
 * the advertiser's approval), approved (earned), and reversed (taken back after approval). Amounts are
 * minor units.
 */
@RestController
public class BalanceController {

    private final JdbcTemplate jdbc;

    public BalanceController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Balance(String currency, long pendingMinor, long approvedMinor, long reversedMinor,
                          long pendingConversions, long approvedConversions) {
    }

    public record Balances(String affiliateId, List<Balance> balances) {
    }

    @GetMapping("/api/v1/affiliates/{id}/balance")
    @Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE})
    @Operation(summary = "An affiliate's pending, approved and reversed commissions per currency",
            security = @SecurityRequirement(name = "bearer"))
    public Balances balance(Caller caller, @PathVariable("id") String affiliateId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE);
        if (caller.role() == Role.AFFILIATE && !affiliateId.equals(caller.principalId())) {
            throw ApiProblem.notFound("Affiliate");
        }
        String tenantId = caller.tenantId().value();
        Integer known = jdbc.queryForObject("SELECT count(*) FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?",
                Integer.class, tenantId, ConfigEntityKinds.AFFILIATE, affiliateId);
        if (known == null || known == 0) {
            throw ApiProblem.notFound("Affiliate");
        }
        List<Balance> balances = jdbc.query("""
                        SELECT currency,
                               coalesce(sum(amount_minor) FILTER (WHERE status = 'PENDING'), 0),
                               coalesce(sum(amount_minor) FILTER (WHERE status = 'APPROVED'), 0),
                               coalesce(sum(amount_minor) FILTER (WHERE status = 'REVERSED'), 0),
                               count(*) FILTER (WHERE status = 'PENDING'),
                               count(*) FILTER (WHERE status = 'APPROVED')
                        FROM affiliate_commission WHERE tenant_id = ? AND affiliate_id = ?
                        GROUP BY currency ORDER BY currency""",
                (rs, i) -> new Balance(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6)), tenantId, affiliateId);
        return new Balances(affiliateId, balances);
    }
}
