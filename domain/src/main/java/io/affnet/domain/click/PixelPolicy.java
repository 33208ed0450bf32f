package io.affnet.domain.click;

import io.affnet.api.common.Money;
import io.affnet.api.conversion.ConversionInput;
import io.affnet.api.conversion.PixelReport;
import io.affnet.api.conversion.RejectionReason;
import io.affnet.api.offer.PixelSettings;

import java.util.Locale;

/**
 * Whether a browser pixel may report a conversion, and what of it counts. A pixel carries no credential:
 * whoever holds a click id (from a cookie, a referrer, a log) can fire it, so it is only taken where the
 * tenant turned it on for the offer, from the referring domains it named, never to set a status, and
 * with an amount only up to the offer's ceiling (none = the amount is dropped). An advertiser with a
 * postback IP allowlist has said where its reports come from, so its offers take pixels only when the
 * tenant turned them on explicitly (which is also the only way any offer takes them).
 */
public final class PixelPolicy {

    private PixelPolicy() {
    }

    /** A refused pixel (with why), or an admitted one with the input to decide on. */
    public record Verdict(RejectionReason refusal, ConversionInput admitted) {
        public boolean refused() {
            return refusal != null;
        }
    }

    public static Verdict judge(PixelSettings settings, boolean advertiserHasAllowlist, PixelReport report,
                                ConversionInput input, String offerCurrency) {
        PixelSettings pixel = settings == null ? PixelSettings.off() : settings;
        if (!pixel.enabled()) {
            return refuse(advertiserHasAllowlist ? RejectionReason.PIXEL_ADVERTISER_ALLOWLIST : RejectionReason.PIXEL_DISABLED);
        }
        if (report.statusRequested()) {
            return refuse(RejectionReason.PIXEL_STATUS_CHANGE);
        }
        if (!pixel.allowedReferrerDomains().isEmpty() && !referrerAllowed(pixel, report.referrerHost())) {
            return refuse(RejectionReason.PIXEL_REFERRER_NOT_ALLOWED);
        }
        if (input.saleAmount() == null) {
            return new Verdict(null, input);
        }
        if (pixel.maxAmountMinor() == null) {
            return new Verdict(null, new ConversionInput(input.goal(), input.transactionId(), null, null, input.status(),
                    input.receivedAt(), input.channel(), input.customerEmailHash()));
        }
        String currency = input.saleCurrency() == null ? offerCurrency : input.saleCurrency();
        if (offerCurrency == null || !offerCurrency.equals(currency)) {
            return refuse(RejectionReason.PIXEL_AMOUNT_NOT_ALLOWED);
        }
        long minor;
        try {
            minor = Money.ofMajor(input.saleAmount(), currency).minor();
        } catch (ArithmeticException e) {
            return refuse(RejectionReason.PIXEL_AMOUNT_NOT_ALLOWED);
        }
        return minor > pixel.maxAmountMinor() ? refuse(RejectionReason.PIXEL_AMOUNT_NOT_ALLOWED) : new Verdict(null, input);
    }

    /** A pixel can only create a conversion: a decision to move an existing one on is refused. */
    public static ConversionDecision createOnly(ConversionDecision decision, String goal) {
        return decision instanceof ConversionDecision.ChangeStatus
                ? new ConversionDecision.Reject(RejectionReason.PIXEL_STATUS_CHANGE, goal) : decision;
    }

    /** The referring page's host is one of the allowed domains or below one ({@code shop.example.com} for {@code example.com}). */
    static boolean referrerAllowed(PixelSettings pixel, String referrerHost) {
        if (referrerHost == null || referrerHost.isBlank()) {
            return false;
        }
        String host = referrerHost.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        for (String domain : pixel.allowedReferrerDomains()) {
            String d = domain.toLowerCase(Locale.ROOT);
            if (host.equals(d) || host.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    private static Verdict refuse(RejectionReason reason) {
        return new Verdict(reason, null);
    }
}
