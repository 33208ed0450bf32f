package io.affnet.domain.tenant;

/** The tenant has no working API key with that id. */
public class UnknownApiKeyException extends RuntimeException {
    public UnknownApiKeyException(String keyId) {
        super("no working API key " + keyId);
    }
}
