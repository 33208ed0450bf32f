package io.affnet.sagas.payout.processor;

import java.util.Optional;

/**
 * A tenant's processor credentials, stored sealed at rest and unsealed only for a call. Never
 * returned by the API, never logged.
 */
public interface ProcessorAccounts {

    /** The tenant's account at that processor, or empty when the tenant has not connected it. */
    Optional<ProcessorAccount> of(String tenantId, ProcessorName processor);
}
