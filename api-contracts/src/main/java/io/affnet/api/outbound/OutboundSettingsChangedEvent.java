package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/**
 * A tenant changed where its outbound postbacks may go. {@code allowPrivateTargets} lets them reach
 * private, loopback and link-local addresses (an on-premises receiver; tests); off by default.
 */
@Revision("1")
public record OutboundSettingsChangedEvent(TenantId tenantId, boolean allowPrivateTargets) {
}
