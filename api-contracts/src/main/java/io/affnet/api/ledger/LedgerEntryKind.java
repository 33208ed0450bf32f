package io.affnet.api.ledger;

/** Why money moved. */
public enum LedgerEntryKind {
    EARNING, HOLD_RELEASE, REVERSAL, ADJUSTMENT, PAYOUT_RESERVED, PAYOUT_PAID, PAYOUT_FAILED, PAYOUT_RETURNED, PAYOUT_REVERSED
}
