package io.affnet.api.link;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** A tracking link was issued to an affiliate. */
@Revision("1")
public record LinkCreatedEvent(String linkId, TenantId tenantId, String code, long version, LinkSettings settings) {
}
