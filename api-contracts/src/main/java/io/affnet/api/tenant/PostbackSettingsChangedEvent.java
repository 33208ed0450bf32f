package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** A tenant changed how postbacks are read (status words, default status, fraud rules). */
@Revision("1")
public record PostbackSettingsChangedEvent(TenantId tenantId, PostbackSettings settings) {
}
