package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A processor told us (webhook) that something happened to a payout; the saga re-fetches, never trusts the body. */
@Revision("1")
public record PayoutNewsReportedEvent(TenantId tenantId, String affiliateId, String payoutId, String eventId,
                                      Instant at) {
}
