package io.affnet.web.auth;

/** A handler needed a caller but the request carried none. */
public class UnauthenticatedException extends RuntimeException {
    public UnauthenticatedException() {
        super("authentication required");
    }
}
