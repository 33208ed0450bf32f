package io.affnet.api.conversion;

/**
 * A tenant's fraud rules for conversions, all on by default. {@code flagOnly} records a suspicious
 * conversion as pending with a flag instead of rejecting it.
 *
 * @param minSecondsToConvert        faster than this after the click suggests injection (0 = off)
 * @param maxConversionsPerClickGoal more conversions than this on one click for one goal (0 = off)
 * @param selfReferral               reject when the customer is recognisably the affiliate (same email)
 * @param allowReapproval            credit a transaction the advertiser first declined when it later approves
 *                                   it (off by default; absent in settings saved before it existed = off)
 */
public record FraudRules(long minSecondsToConvert, int maxConversionsPerClickGoal, boolean selfReferral, boolean flagOnly,
                         boolean allowReapproval) {

    public FraudRules(long minSecondsToConvert, int maxConversionsPerClickGoal, boolean selfReferral, boolean flagOnly) {
        this(minSecondsToConvert, maxConversionsPerClickGoal, selfReferral, flagOnly, false);
    }

    public static FraudRules defaults() {
        return new FraudRules(10, 5, true, false);
    }
}
