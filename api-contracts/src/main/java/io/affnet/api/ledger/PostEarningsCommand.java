package io.affnet.api.ledger;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Several approved conversions of one ledger earn at once, in order: each exactly as its own
 * {@link PostEarningCommand} would (a conversion already earned, before or earlier in the list, earns nothing
 * again), in one command, so one load of the ledger and one unit of work instead of one per conversion.
 * Every earning must be for {@code ledgerId}.
 */
public record PostEarningsCommand(@TargetAggregateIdentifier String ledgerId, TenantId tenantId, String affiliateId,
                                  List<PostEarningCommand> earnings) {

    public PostEarningsCommand {
        earnings = List.copyOf(earnings);
        if (earnings.isEmpty()) {
            throw new IllegalArgumentException("no earnings");
        }
        for (PostEarningCommand e : earnings) {
            if (!e.ledgerId().equals(ledgerId)) {
                throw new IllegalArgumentException("earning of ledger " + e.ledgerId() + " in a command for " + ledgerId);
            }
        }
    }
}
