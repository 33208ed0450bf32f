package io.affnet.command.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.affnet.api.common.MoneyJson;
import io.affnet.api.offer.Amount;
import io.affnet.web.money.DecimalText;
import io.affnet.web.problem.FieldErrors;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a goal's revenue or payout is, as the API takes and shows it: a fixed amount of money with its
 * currency (the offer's), or a percentage of the sale. Exactly one of {@code amount} and {@code percent}.
 */
@Schema(description = "A fixed amount of money ({amount, currency}) or a share of the sale ({percent}); exactly one of the two.",
        example = "{\"amount\":\"2.50\",\"currency\":\"EUR\"}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AmountBody(
        @Schema(description = "Fixed amount as a decimal string with at most as many decimals as the currency has "
                + "(ISO 4217: EUR 2, JPY 0, KWD 3); a JSON number is refused.", example = "2.50",
                pattern = MoneyJson.AMOUNT_PATTERN, minimum = "0", maximum = "1000000000",
                requiredMode = Schema.RequiredMode.NOT_REQUIRED)
        @JsonDeserialize(using = DecimalText.class) String amount,
        @Schema(description = "ISO-4217 code of a fixed amount; must be the offer's currency.", example = "EUR",
                pattern = "^[A-Z]{3}$", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String currency,
        @Schema(description = "Share of the sale in per cent as a decimal string with at most 2 decimals (\"12.5\" = 12.5 %).",
                example = "12.5", pattern = MoneyJson.PERCENT_PATTERN, minimum = "0", maximum = "100",
                requiredMode = Schema.RequiredMode.NOT_REQUIRED)
        @JsonDeserialize(using = DecimalText.class) String percent,
        @Schema(hidden = true) @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) JsonNode kind,
        @Schema(hidden = true) @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) JsonNode value) {

    public static AmountBody of(Amount amount, String currency) {
        return amount.kind() == Amount.Kind.FIXED
                ? new AmountBody(MoneyJson.amount(amount.value(), currency), currency, null, null, null)
                : new AmountBody(null, null, MoneyJson.percent(amount.value()), null, null);
    }

    /** The exact internal amount, or null with the reasons added to {@code errors}. */
    public static Amount toAmount(AmountBody body, String field, String offerCurrency, FieldErrors errors) {
        if (body == null) {
            errors.add(field, field + " is required: {\"amount\":\"2.50\",\"currency\":\"" + example(offerCurrency)
                    + "\"} or {\"percent\":\"12.5\"}");
            return null;
        }
        if (body.kind != null || body.value != null) {
            errors.add(field, field + " uses the integer shape {kind, value} (minor units, basis points) of earlier "
                    + "versions, which is no longer accepted: send {\"amount\":\"2.50\",\"currency\":\""
                    + example(offerCurrency) + "\"} or {\"percent\":\"12.5\"}");
            return null;
        }
        if ((body.amount == null) == (body.percent == null)) {
            errors.add(field, field + " needs exactly one of amount (with currency) and percent");
            return null;
        }
        if (body.percent != null) {
            if (body.currency != null) {
                errors.add(field + ".currency", field + ".currency goes with amount, not with percent");
                return null;
            }
            Long bp = errors.convert(field + ".percent", () -> MoneyJson.basisPoints(field + ".percent", body.percent));
            return bp == null ? null : Amount.percentBasisPoints(bp);
        }
        var money = errors.convert(field, () -> MoneyJson.money(field, body.amount, body.currency, false));
        if (money == null) {
            return null;
        }
        if (offerCurrency != null && !money.currency().equals(offerCurrency)) {
            errors.add(field + ".currency", field + ".currency is " + money.currency() + " but the offer pays in "
                    + offerCurrency + "; a fixed amount is in the offer's currency");
            return null;
        }
        return Amount.fixed(money.minor());
    }

    private static String example(String currency) {
        return currency == null ? "EUR" : currency;
    }
}
