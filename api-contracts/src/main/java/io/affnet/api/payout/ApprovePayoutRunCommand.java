package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.Map;

/** A tenant admin approves a previewed run; {@code quotes} are the FX rates fetched at approval, by payout id. */
public record ApprovePayoutRunCommand(@TargetAggregateIdentifier String runId, TenantId tenantId,
                                      Map<String, FxQuote> quotes, String approvedBy, Instant at) {
}
