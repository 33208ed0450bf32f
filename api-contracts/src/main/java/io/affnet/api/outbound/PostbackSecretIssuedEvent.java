package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An affiliate got a new secret to verify our postbacks' signatures. Only its encryption under the
 * platform key is kept (sealed with AES-GCM by sagas' {@code SealedSecrets}); the clear secret was shown once, to the tenant admin.
 */
@Revision("1")
public record PostbackSecretIssuedEvent(TenantId tenantId, String affiliateId, String sealedSecret, String prefix,
                                        Instant issuedAt) {
    @Override
    public String toString() {
        return "PostbackSecretIssuedEvent[affiliateId=" + affiliateId + ", prefix=" + prefix + "]";
    }
}
