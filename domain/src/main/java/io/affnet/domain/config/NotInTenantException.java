package io.affnet.domain.config;

/**
 * A command named an object of another tenant. Callers answer it exactly like a missing id, so a
 * tenant cannot learn that another tenant's id exists.
 */
public class NotInTenantException extends RuntimeException {

    public NotInTenantException(String kind) {
        super(kind + " not found");
    }
}
