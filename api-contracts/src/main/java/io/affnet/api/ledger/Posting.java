package io.affnet.api.ledger;

import java.util.Objects;

/**
 * One line of a journal entry: a signed amount (positive credits, negative debits) on an account.
 *
 * @param qualifier the processor for {@link LedgerAccount#AFFILIATE_IN_PAYOUT} ({@code STRIPE}, {@code PAYPAL}), else empty
 */
public record Posting(LedgerAccount account, String qualifier, long minor) {

    public Posting {
        Objects.requireNonNull(account, "account");
        qualifier = qualifier == null ? "" : qualifier;
    }

    public static Posting credit(LedgerAccount account, long minor) {
        return new Posting(account, "", minor);
    }

    public static Posting debit(LedgerAccount account, long minor) {
        return new Posting(account, "", Math.negateExact(minor));
    }
}
