package io.affnet.domain.click;

import io.affnet.api.common.TenantId;

/**
 * A report refused before anything is recorded: nothing is appended for it, and in a batch it fails
 * alone. The HTTP edge turns each kind into its problem document.
 */
public abstract sealed class ConversionRefusedException extends RuntimeException
        permits ConversionRefusedException.TenantSuspended, ConversionRefusedException.SenderNotAllowed {

    private final TenantId tenant;

    private ConversionRefusedException(TenantId tenant, String message) {
        super(message, null, false, false);
        this.tenant = tenant;
    }

    public TenantId tenant() {
        return tenant;
    }

    /** The tenant is suspended: its conversions are not accepted. */
    public static final class TenantSuspended extends ConversionRefusedException {
        public TenantSuspended(TenantId tenant) {
            super(tenant, "tenant suspended");
        }
    }

    /** The sender's address is outside the advertiser's allowlist. */
    public static final class SenderNotAllowed extends ConversionRefusedException {
        public SenderNotAllowed(TenantId tenant) {
            super(tenant, "sender not allowed");
        }
    }
}
