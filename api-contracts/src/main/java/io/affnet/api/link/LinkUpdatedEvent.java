package io.affnet.api.link;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** A tracking link's settings changed (offers, policy, status). */
@Revision("1")
public record LinkUpdatedEvent(String linkId, TenantId tenantId, String code, long version, LinkSettings settings) {
}
