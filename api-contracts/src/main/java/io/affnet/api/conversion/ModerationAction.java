package io.affnet.api.conversion;

/**
 * What the network does to a credited conversion itself, instead of waiting for the advertiser's
 * postback: approve or reject a pending one, reverse an approved one, or adjust the amounts of a pending
 * or an approved one (the affiliate's ledger then moves by the difference).
 */
public enum ModerationAction {
    APPROVE, REJECT, REVERSE, ADJUST;

    /** The status this action moves a conversion to (null for {@link #ADJUST}, which keeps it). */
    public ConversionStatus target() {
        return switch (this) {
            case APPROVE -> ConversionStatus.APPROVED;
            case REJECT -> ConversionStatus.REJECTED;
            case REVERSE -> ConversionStatus.REVERSED;
            case ADJUST -> null;
        };
    }
}
