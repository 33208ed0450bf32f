package io.affnet.domain.config;

/** A tenant's configuration change broke a rule; {@code field} names the value to fix. */
public class InvalidConfigurationException extends RuntimeException {

    private final String field;

    public InvalidConfigurationException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
