package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A tenant admin asks who would be paid what for a period: the run's preview, awaiting approval. */
public record CreatePayoutRunCommand(@TargetAggregateIdentifier String runId, TenantId tenantId, LocalDate periodFrom,
                                     LocalDate periodTo, String filter, List<PayoutRunItem> items,
                                     boolean negativeBalanceBlocks, String createdBy, Instant at) {
}
