package io.affnet.api.common;

/** What a caller may do inside its tenant (or, for the operator, across the platform). */
public enum Role {
    OPERATOR,
    TENANT_ADMIN,
    TENANT_ANALYST,
    AFFILIATE,
    ADVERTISER,
    AUDITOR
}
