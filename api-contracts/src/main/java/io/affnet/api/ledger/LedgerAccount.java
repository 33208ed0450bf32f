package io.affnet.api.ledger;

/**
 * The accounts of a tenant's ledger in one currency. Amounts posted to an account are signed: a
 * positive amount is a credit, a negative one a debit, and every {@link JournalEntry} sums to zero.
 * The affiliate accounts, the margin and the FX account are credit-normal (a positive balance is owed
 * to the affiliate, or earned by the network); the advertiser receivable is debit-normal (its balance
 * is the negated sum).
 */
public enum LedgerAccount {
    /** Earned by an affiliate, still in its hold period. */
    AFFILIATE_PENDING,
    /** Out of hold: what the next payout run may pay (negative after a clawback of paid money). */
    AFFILIATE_AVAILABLE,
    /** Clearing account per processor: reserved for a payout the processor has not settled. Zero when nothing is in flight. */
    AFFILIATE_IN_PAYOUT,
    /** Paid out to the affiliate. */
    AFFILIATE_PAID,
    /** What advertisers owe the network for approved conversions (revenue). */
    ADVERTISER_RECEIVABLE,
    /** Revenue minus payout of approved conversions. */
    NETWORK_MARGIN,
    /** The network's position in a currency from paying an affiliate in another currency than it earned in. */
    FX_GAIN_LOSS;

    public boolean affiliateOwned() {
        return name().startsWith("AFFILIATE_");
    }
}
