package io.affnet.web.auth;

/** The caller is authenticated but its role may not do this. */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
