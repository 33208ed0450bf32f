package io.affnet.api.outbound;

import io.affnet.api.common.CommandRejection;
import io.affnet.api.common.TenantId;

/**
 * Sends an affiliate a sample postback now, filled, signed and sent like a real one, to see what the
 * affiliate's server answers; {@code offerId} and {@code goal} pick the template (none: the global one).
 * The outbound outbox (sagas) answers it; the HTTP edge (command-side) asks. It is a call, not a command:
 * a command runs in a database transaction, which would hold a pooled connection for as long as the
 * affiliate's server takes to answer (up to the attempt timeout).
 */
public interface PostbackTestFires {

    /** @throws Refused when the affiliate has no endpoint or no template matches */
    PostbackTestFire fire(TenantId tenantId, String affiliateId, String offerId, String goal);

    /** Why a test-fire was not sent, for the HTTP edge to turn into a problem document. */
    final class Refused extends RuntimeException {

        private final transient CommandRejection rejection;

        public Refused(CommandRejection rejection) {
            super(rejection.detail());
            this.rejection = rejection;
        }

        public CommandRejection rejection() {
            return rejection;
        }
    }
}
