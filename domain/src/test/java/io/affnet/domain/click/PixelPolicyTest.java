package io.affnet.domain.click;

import io.affnet.api.conversion.ConversionInput;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.PixelReport;
import io.affnet.api.conversion.RejectionReason;
import io.affnet.api.offer.PixelSettings;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PixelPolicyTest {

    private static final PixelReport PLAIN = new PixelReport("www.shop.example", false);

    private static ConversionInput input(String amount, String currency) {
        return new ConversionInput("sale", "T1", amount == null ? null : new BigDecimal(amount), currency,
                ConversionStatus.APPROVED, Instant.EPOCH, "pixel", null);
    }

    private static RejectionReason refusal(PixelSettings settings, boolean allowlist, PixelReport report, ConversionInput input) {
        return PixelPolicy.judge(settings, allowlist, report, input, "EUR").refusal();
    }

    @Test
    void anOfferNeverConfiguredRefusesAndSaysWhyWhenTheAdvertiserHasAnAllowlist() {
        assertThat(refusal(null, false, PLAIN, input(null, null))).isEqualTo(RejectionReason.PIXEL_DISABLED);
        assertThat(refusal(PixelSettings.off(), true, PLAIN, input(null, null))).isEqualTo(RejectionReason.PIXEL_ADVERTISER_ALLOWLIST);
        assertThat(refusal(new PixelSettings(true, Set.of(), null), true, PLAIN, input(null, null))).isNull();
    }

    @Test
    void aPixelAskingForAStatusIsRefusedAndAMoveOfAnExistingConversionBecomesARefusal() {
        PixelSettings on = new PixelSettings(true, Set.of(), null);
        assertThat(refusal(on, false, new PixelReport(null, true), input(null, null))).isEqualTo(RejectionReason.PIXEL_STATUS_CHANGE);
        ConversionDecision moved = PixelPolicy.createOnly(
                new ConversionDecision.ChangeStatus("cv1", ConversionStatus.PENDING, ConversionStatus.APPROVED), "sale");
        assertThat(moved).isEqualTo(new ConversionDecision.Reject(RejectionReason.PIXEL_STATUS_CHANGE, "sale"));
        ConversionDecision duplicate = new ConversionDecision.Duplicate("cv1", "sale");
        assertThat(PixelPolicy.createOnly(duplicate, "sale")).isSameAs(duplicate);
    }

    @Test
    void referrersMustBeAnAllowedDomainOrBelowOne() {
        PixelSettings shop = new PixelSettings(true, Set.of("shop.example"), null);
        assertThat(refusal(shop, false, new PixelReport("shop.example", false), input(null, null))).isNull();
        assertThat(refusal(shop, false, new PixelReport("WWW.Shop.Example.", false), input(null, null))).isNull();
        for (String host : new String[]{"evilshop.example", "shop.example.evil.example", "", null}) {
            assertThat(refusal(shop, false, new PixelReport(host, false), input(null, null))).as(host)
                    .isEqualTo(RejectionReason.PIXEL_REFERRER_NOT_ALLOWED);
        }
    }

    @Test
    void amountsUpToTheCeilingInTheOfferCurrencyCountAndWithoutACeilingTheyAreDropped() {
        PixelSettings ceiling = new PixelSettings(true, Set.of(), 5000L);
        assertThat(refusal(ceiling, false, PLAIN, input("50.00", null))).isNull();
        assertThat(refusal(ceiling, false, PLAIN, input("50.01", "EUR"))).isEqualTo(RejectionReason.PIXEL_AMOUNT_NOT_ALLOWED);
        assertThat(refusal(ceiling, false, PLAIN, input("1", "USD"))).isEqualTo(RejectionReason.PIXEL_AMOUNT_NOT_ALLOWED);
        assertThat(refusal(ceiling, false, PLAIN, input("99999999999999999999999", null)))
                .isEqualTo(RejectionReason.PIXEL_AMOUNT_NOT_ALLOWED);
        ConversionInput dropped = PixelPolicy.judge(new PixelSettings(true, Set.of(), null), false, PLAIN,
                input("999999999.99", "EUR"), "EUR").admitted();
        assertThat(dropped.saleAmount()).isNull();
        assertThat(dropped.saleCurrency()).isNull();
        assertThat(dropped.transactionId()).isEqualTo("T1");
    }
}
