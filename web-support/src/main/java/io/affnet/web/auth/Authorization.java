package io.affnet.web.auth;

import io.affnet.api.common.Role;

import java.util.Arrays;

/** Role checks shared by every controller, so a rule is written once. */
public final class Authorization {

    private Authorization() {
    }

    public static void requireOperator(Caller caller) {
        if (!caller.isOperator()) {
            throw new ForbiddenException("This action needs the operator key.");
        }
    }

    public static void requireRole(Caller caller, Role... roles) {
        if (Arrays.stream(roles).noneMatch(r -> r == caller.role())) {
            throw new ForbiddenException("Role " + caller.role() + " may not do this.");
        }
    }
}
