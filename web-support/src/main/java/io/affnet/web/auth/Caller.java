package io.affnet.web.auth;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;

/** Who is calling: resolved from the API key, never from a path or body parameter. */
public record Caller(TenantId tenantId, String principalId, Role role) {

    public static final String REQUEST_ATTRIBUTE = Caller.class.getName();

    public static Caller operator() {
        return new Caller(null, "operator", Role.OPERATOR);
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }
}
