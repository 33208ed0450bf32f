package io.affnet.query.keys;

import io.affnet.api.common.Role;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/**
 * The caller's tenant's API keys, without secrets or hashes: who each speaks for, its role, when it
 * was created, last used (recorded in batches, so up to a few seconds behind), expires or was revoked.
 */
@RestController
@Access({Role.TENANT_ADMIN, Role.AUDITOR})
public class ApiKeyQueryController {

    public static final int MAX_LIMIT = 200;

    private final ApiKeyReads keys;

    public ApiKeyQueryController(ApiKeyReads keys) {
        this.keys = keys;
    }

    /** One key as listed; {@code keyPrefix} is the first characters of the key, enough to recognise it. */
    public record KeyView(String keyId, String keyPrefix, String principalId, String role, String label, String issuedBy,
                          Instant createdAt, Instant lastUsedAt, Instant expiresAt, String replacedBy, Instant revokedAt,
                          boolean active) {
    }

    /** A page of keys and the {@code after} of the next page (null at the end). */
    public record KeyPage(List<KeyView> items, String next) {
    }

    @GetMapping("/api/v1/keys")
    @Operation(summary = "The tenant's API keys (no secrets), by id, ?limit= (max 200) &after=",
            security = @SecurityRequirement(name = "bearer"))
    public KeyPage list(Caller caller, @RequestParam(name = "limit", required = false) Integer limit,
                        @RequestParam(name = "after", required = false) String after) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiProblem.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        List<KeyView> rows = keys.page(caller.tenantId().value(), after == null ? "" : after, size + 1);
        String next = rows.size() > size ? rows.get(size - 1).keyId() : null;
        return new KeyPage(rows.stream().limit(size).toList(), next);
    }
}
