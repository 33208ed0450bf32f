package io.affnet.api.conversion;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant admin (or an advertiser, for its own offers where the tenant allows it) moderates one
 * credited conversion of a click. The click decides, as for a postback: the status must be able to
 * move, and what follows (commission, ledger, reports, outbound postback) follows from the same events.
 *
 * @param revenue         for {@link ModerationAction#ADJUST}: the new revenue in the offer's currency (null keeps it)
 * @param payout          for {@link ModerationAction#ADJUST}: the new payout in the offer's currency (null keeps it)
 * @param actorId         who moderates (principal id: the key's user, or the advertiser id)
 * @param actorRole       the role the actor moderated with
 * @param advertiserScope when set, the advertiser whose key moderates: the click must be on its offers
 */
public record ModerateConversionCommand(
        @TargetAggregateIdentifier String clickId,
        TenantId tenantId,
        String conversionId,
        ModerationAction action,
        String reason,
        BigDecimal revenue,
        BigDecimal payout,
        String actorId,
        String actorRole,
        String advertiserScope,
        Instant at) {
}
