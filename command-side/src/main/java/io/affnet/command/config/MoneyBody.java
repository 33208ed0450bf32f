package io.affnet.command.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.affnet.api.common.Money;
import io.affnet.api.common.MoneyJson;
import io.affnet.web.money.DecimalText;
import io.affnet.web.problem.FieldErrors;
import io.swagger.v3.oas.annotations.media.Schema;

/** An amount of money as the API takes and shows it: a decimal string with its ISO-4217 currency. */
@Schema(description = "An amount of money: a decimal string with at most as many decimals as its currency has, and the currency.",
        example = "{\"amount\":\"12.34\",\"currency\":\"USD\"}")
public record MoneyBody(
        @Schema(description = "Decimal string (JPY 0 decimals, EUR/USD 2, KWD 3); a JSON number is refused.", example = "12.34",
                pattern = MoneyJson.AMOUNT_PATTERN, minimum = "0", maximum = "1000000000",
                requiredMode = Schema.RequiredMode.REQUIRED)
        @JsonDeserialize(using = DecimalText.class) String amount,
        @Schema(description = "ISO-4217 code.", example = "USD", pattern = "^[A-Z]{3}$",
                requiredMode = Schema.RequiredMode.REQUIRED) String currency) {

    public static MoneyBody of(long minor, String currency) {
        return new MoneyBody(MoneyJson.amount(minor, currency), currency);
    }

    /** The exact money in {@code expectedCurrency} (when known), or null with the reasons added to {@code errors}. */
    public static Money toMoney(MoneyBody body, String field, String expectedCurrency, FieldErrors errors) {
        if (body == null) {
            return null;
        }
        Money money = errors.convert(field, () -> MoneyJson.money(field, body.amount(), body.currency(), false));
        if (money != null && expectedCurrency != null && !money.currency().equals(expectedCurrency)) {
            errors.add(field + ".currency", field + ".currency is " + money.currency() + " but the offer's currency is "
                    + expectedCurrency);
            return null;
        }
        return money;
    }
}
