package io.affnet.domain.click;

import io.affnet.api.common.Money;
import io.affnet.api.conversion.ConversionStatus;

/** What a moderation did to a conversion. */
public record Moderated(String conversionId, ConversionStatus from, ConversionStatus to, Money revenue, Money payout) {
}
