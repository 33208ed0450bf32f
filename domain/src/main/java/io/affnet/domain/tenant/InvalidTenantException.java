package io.affnet.domain.tenant;

/** A tenant registration broke one of the tenant's invariants; {@code field} names what was wrong. */
public class InvalidTenantException extends RuntimeException {

    private final String field;

    public InvalidTenantException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
