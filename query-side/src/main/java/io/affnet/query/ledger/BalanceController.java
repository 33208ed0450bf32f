package io.affnet.query.ledger;

import io.affnet.api.common.MoneyJson;
import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.query.report.FieldGrants;
import org.springframework.http.HttpStatus;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.affnet.query.config.ConfigEntityReads;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.List;

/**
 * An affiliate's commission balances per currency, from the commissions read model: pending (awaiting
 * the advertiser's approval), approved (earned), and reversed (taken back after approval). Amounts are
 * money as the API shows it everywhere: a decimal string with its currency.
 */
@RestController
public class BalanceController {

    private final ConfigEntityReads entities;
    private final CommissionReads commissions;

    public BalanceController(ConfigEntityReads entities, CommissionReads commissions) {
        this.entities = entities;
        this.commissions = commissions;
    }

    public record Balance(String currency, MoneyBody pending, MoneyBody approved, MoneyBody reversed,
                          long pendingConversions, long approvedConversions) {
    }

    /** An amount of money: a decimal string with all the currency's decimals, and the currency. */
    public record MoneyBody(String amount, String currency) {
        static MoneyBody of(long minor, String currency) {
            return new MoneyBody(MoneyJson.amount(minor, currency), currency);
        }
    }

    public record Balances(String affiliateId, List<Balance> balances) {
    }

    @GetMapping("/api/v1/affiliates/{id}/balance")
    @Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE})
    @Operation(summary = "An affiliate's pending, approved and reversed commissions per currency",
            security = @SecurityRequirement(name = "bearer"))
    public Balances balance(Caller caller, @PathVariable("id") String affiliateId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE);
        new FieldGrants.Viewer(caller.role(), false).require(FieldGrants.Surface.BALANCE, "balance", "id");
        if (caller.role() == Role.AFFILIATE && !affiliateId.equals(caller.principalId())) {
            throw ApiProblem.notFound("Affiliate");
        }
        String tenantId = caller.tenantId().value();
        if (!entities.exists(tenantId, ConfigEntityKinds.AFFILIATE, affiliateId)) {
            throw ApiProblem.notFound("Affiliate");
        }
        List<Balance> balances = commissions.balances(tenantId, affiliateId).stream()
                .map(t -> new Balance(t.currency(), MoneyBody.of(exact(t.pending()), t.currency()),
                        MoneyBody.of(exact(t.approved()), t.currency()), MoneyBody.of(exact(t.reversed()), t.currency()),
                        t.pendingConversions(), t.approvedConversions()))
                .toList();
        return new Balances(affiliateId, balances);
    }

    /** PostgreSQL sums bigints exactly (as numeric); a balance past a long is refused, never wrapped or rounded. */
    private static long exact(BigDecimal sum) {
        try {
            return sum.longValueExact();
        } catch (ArithmeticException e) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "amount-out-of-range",
                    "This balance exceeds the largest amount the API represents (" + Long.MAX_VALUE + " minor units).");
        }
    }
}
