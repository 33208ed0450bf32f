package io.affnet.domain.click;

/**
 * The report names a click the reporter may not see (another tenant's, or not the offer the pixel
 * fires for): it is answered exactly like a click that does not exist.
 */
public final class UnknownClickException extends RuntimeException {

    public UnknownClickException(String clickId) {
        super("unknown click " + clickId, null, false, false);
    }
}
