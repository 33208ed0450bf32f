package io.affnet.api.tenant;

import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.conversion.ReviewRules;

import java.util.Locale;
import java.util.Map;

/**
 * How a tenant reads advertisers' postbacks: extra status words or codes (on top of the defaults,
 * matched case-insensitively), the status of a postback that names none, the fraud rules, and which
 * conversions are held for review and who may moderate them ({@code review}: null in settings saved
 * before it existed = none).
 */
public record PostbackSettings(Map<String, ConversionStatus> statusMap, ConversionStatus defaultStatus, FraudRules fraud,
                               ReviewRules review) {

    public PostbackSettings(Map<String, ConversionStatus> statusMap, ConversionStatus defaultStatus, FraudRules fraud) {
        this(statusMap, defaultStatus, fraud, null);
    }

    /** The review rules in force (none when never set). */
    public ReviewRules reviewRules() {
        return review == null ? ReviewRules.none() : review;
    }

    public static final Map<String, ConversionStatus> DEFAULT_STATUS_WORDS = Map.ofEntries(
            Map.entry("approved", ConversionStatus.APPROVED), Map.entry("approve", ConversionStatus.APPROVED),
            Map.entry("confirmed", ConversionStatus.APPROVED), Map.entry("success", ConversionStatus.APPROVED),
            Map.entry("sale", ConversionStatus.APPROVED), Map.entry("lead", ConversionStatus.APPROVED),
            Map.entry("completed", ConversionStatus.APPROVED), Map.entry("1", ConversionStatus.APPROVED),
            Map.entry("pending", ConversionStatus.PENDING), Map.entry("hold", ConversionStatus.PENDING),
            Map.entry("2", ConversionStatus.PENDING),
            Map.entry("rejected", ConversionStatus.REJECTED), Map.entry("declined", ConversionStatus.REJECTED),
            Map.entry("denied", ConversionStatus.REJECTED), Map.entry("cancelled", ConversionStatus.REJECTED),
            Map.entry("canceled", ConversionStatus.REJECTED), Map.entry("invalid", ConversionStatus.REJECTED),
            Map.entry("trash", ConversionStatus.REJECTED), Map.entry("3", ConversionStatus.REJECTED),
            Map.entry("reversed", ConversionStatus.REVERSED), Map.entry("chargeback", ConversionStatus.REVERSED),
            Map.entry("refund", ConversionStatus.REVERSED), Map.entry("refunded", ConversionStatus.REVERSED),
            Map.entry("4", ConversionStatus.REVERSED));

    public static PostbackSettings defaults() {
        return new PostbackSettings(Map.of(), ConversionStatus.APPROVED, FraudRules.defaults());
    }

    /** The status a word or code means, or null when it is unknown. */
    public ConversionStatus status(String word) {
        if (word == null) {
            return defaultStatus;
        }
        String w = word.trim().toLowerCase(Locale.ROOT);
        if (statusMap != null) {
            for (Map.Entry<String, ConversionStatus> e : statusMap.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(w)) {
                    return e.getValue();
                }
            }
        }
        return DEFAULT_STATUS_WORDS.get(w);
    }
}
