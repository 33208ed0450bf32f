package io.affnet.api.conversion;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An advertiser reported a result for a click. The intake resolves everything the decision needs from
 * outside the click (the tenant's fraud rules, an exchange rate, the affiliate's email hash), so the
 * click's decision is a pure function of its history and this command. {@code tenantId} is the tenant
 * the report was authenticated for (null for a browser pixel, which only has the click's cookie);
 * {@code expectedOfferId}, when set, must be the click's offer (a pixel names the offer it fires for);
 * {@code senderIp} is the server-to-server sender's address, checked against the advertiser's allowlist;
 * {@code pixel} is set when the report came from the browser pixel (null for a server postback);
 * {@code advertiserScope}, when set, is the advertiser whose own postback token authenticated the report:
 * the click must be on one of its offers.
 */
public record RecordConversionCommand(
        @TargetAggregateIdentifier String clickId,
        TenantId tenantId,
        String conversionId,
        ConversionInput input,
        FraudRules fraudRules,
        ExchangeRate exchangeRate,
        String affiliateEmailHash,
        String expectedOfferId,
        String senderIp,
        PixelReport pixel,
        String advertiserScope) {

    public RecordConversionCommand(String clickId, TenantId tenantId, String conversionId, ConversionInput input,
                                   FraudRules fraudRules, ExchangeRate exchangeRate, String affiliateEmailHash,
                                   String expectedOfferId, String senderIp, PixelReport pixel) {
        this(clickId, tenantId, conversionId, input, fraudRules, exchangeRate, affiliateEmailHash, expectedOfferId,
                senderIp, pixel, null);
    }

    public RecordConversionCommand(String clickId, TenantId tenantId, String conversionId, ConversionInput input,
                                   FraudRules fraudRules, ExchangeRate exchangeRate, String affiliateEmailHash,
                                   String expectedOfferId, String senderIp) {
        this(clickId, tenantId, conversionId, input, fraudRules, exchangeRate, affiliateEmailHash, expectedOfferId,
                senderIp, null);
    }
}
