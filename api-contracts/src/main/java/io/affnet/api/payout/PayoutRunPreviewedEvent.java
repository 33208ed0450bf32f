package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A payout run was prepared: who would be paid what, in which currency, through which processor. */
@Revision("1")
public record PayoutRunPreviewedEvent(String runId, TenantId tenantId, LocalDate periodFrom, LocalDate periodTo,
                                      String filter, List<PayoutRunItem> items, boolean negativeBalanceBlocks,
                                      String createdBy, Instant at) {
}
