package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.util.List;

/** An affiliate's postback templates are now these (the whole list, replacing the previous one). */
@Revision("1")
public record PostbackEndpointConfiguredEvent(TenantId tenantId, String affiliateId, long version,
                                              List<PostbackTemplate> templates) {
}
