package io.affnet.api.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyJsonTest {

    @Test
    void readsAmountsInTheCurrencysOwnMinorUnits() {
        assertThat(MoneyJson.money("payout", "12.34", "USD", false)).isEqualTo(new Money(1234, "USD"));
        assertThat(MoneyJson.money("payout", "12.3", "USD", false)).isEqualTo(new Money(1230, "USD"));
        assertThat(MoneyJson.money("payout", "12", "USD", false)).isEqualTo(new Money(1200, "USD"));
        assertThat(MoneyJson.money("payout", "1500", "JPY", false)).isEqualTo(new Money(1500, "JPY"));
        assertThat(MoneyJson.money("payout", "1.250", "KWD", false)).isEqualTo(new Money(1250, "KWD"));
        assertThat(MoneyJson.money("payout", "0.001", "KWD", false)).isEqualTo(new Money(1, "KWD"));
    }

    @Test
    void refusesMoreDecimalsThanTheCurrencyHas() {
        assertThatThrownBy(() -> MoneyJson.money("payout", "10.555", "USD", false))
                .isInstanceOf(MoneyJson.InvalidAmountException.class)
                .hasMessageContaining("payout.amount \"10.555\" has more decimals than USD has (2 decimals)");
        assertThatThrownBy(() -> MoneyJson.money("payout", "1500.5", "JPY", false))
                .hasMessageContaining("JPY has (0 decimals)");
        assertThatThrownBy(() -> MoneyJson.money("payout", "1.2345", "KWD", false))
                .hasMessageContaining("KWD has (3 decimals)");
    }

    @Test
    void refusesTrailingZerosBeyondTheCurrencysDecimalsToo() {
        assertThatThrownBy(() -> MoneyJson.money("payout", "1500.0", "JPY", false))
                .hasMessageContaining("more decimals than JPY");
    }

    @Test
    void refusesNegativeAmountsUnlessSigned() {
        assertThatThrownBy(() -> MoneyJson.money("payout", "-1.00", "USD", false))
                .hasMessageContaining("must not be negative");
        assertThat(MoneyJson.money("adjustment", "-1.00", "USD", true)).isEqualTo(new Money(-100, "USD"));
    }

    @Test
    void refusesAmountsAboveTheDocumentedMaximum() {
        assertThat(MoneyJson.money("payout", "1000000000", "KWD", false).minor()).isEqualTo(1_000_000_000_000L);
        assertThatThrownBy(() -> MoneyJson.money("payout", "1000000000.01", "USD", false))
                .hasMessageContaining("at most 1000000000 USD");
    }

    @Test
    void refusesTextsThatAreNotPlainDecimals() {
        for (String bad : new String[]{"1e3", "1,50", "1 000", "+1", ".5", "5.", "abc", "", "NaN", "1.2.3"}) {
            assertThatThrownBy(() -> MoneyJson.money("payout", bad, "USD", false))
                    .as(bad).isInstanceOf(MoneyJson.InvalidAmountException.class).hasMessageContaining("payout.amount");
        }
        assertThatThrownBy(() -> MoneyJson.money("payout", null, "USD", false)).hasMessageContaining("is required");
    }

    @Test
    void refusesUnknownOrMissingCurrencies() {
        assertThatThrownBy(() -> MoneyJson.money("payout", "1.00", "XYZ", false))
                .hasMessageContaining("payout.currency \"XYZ\" is not an ISO-4217");
        assertThatThrownBy(() -> MoneyJson.money("payout", "1.00", "usd", false))
                .hasMessageContaining("not an ISO-4217");
        assertThatThrownBy(() -> MoneyJson.money("payout", "1.00", null, false))
                .hasMessageContaining("payout.currency is required");
    }

    @Test
    void writesAllTheCurrencysDecimals() {
        assertThat(MoneyJson.amount(250, "USD")).isEqualTo("2.50");
        assertThat(MoneyJson.amount(-5, "USD")).isEqualTo("-0.05");
        assertThat(MoneyJson.amount(1500, "JPY")).isEqualTo("1500");
        assertThat(MoneyJson.amount(1250, "KWD")).isEqualTo("1.250");
    }

    @Test
    void readsAndWritesPercentagesAsBasisPoints() {
        assertThat(MoneyJson.basisPoints("payout.percent", "12.5")).isEqualTo(1250);
        assertThat(MoneyJson.basisPoints("payout.percent", "0.01")).isEqualTo(1);
        assertThat(MoneyJson.basisPoints("payout.percent", "100")).isEqualTo(10_000);
        assertThat(MoneyJson.percent(1250)).isEqualTo("12.5");
        assertThat(MoneyJson.percent(700)).isEqualTo("7");
        assertThat(MoneyJson.percent(1)).isEqualTo("0.01");
        assertThat(MoneyJson.percent(10_000)).isEqualTo("100");
    }

    @Test
    void refusesPercentagesThatAreNotExactBasisPoints() {
        assertThatThrownBy(() -> MoneyJson.basisPoints("payout.percent", "12.345"))
                .hasMessageContaining("more than 2 decimals");
        assertThatThrownBy(() -> MoneyJson.basisPoints("payout.percent", "100.01"))
                .hasMessageContaining("at most 100");
        assertThatThrownBy(() -> MoneyJson.basisPoints("payout.percent", "-1"))
                .hasMessageContaining("must not be negative");
    }

    @Test
    void roundTripsEveryMinorUnitExactly() {
        for (String currency : new String[]{"JPY", "USD", "KWD"}) {
            for (long minor : new long[]{0, 1, 9, 10, 99, 100, 101, 123_456_789}) {
                assertThat(MoneyJson.money("x", MoneyJson.amount(minor, currency), currency, false).minor())
                        .as(currency + " " + minor).isEqualTo(minor);
            }
        }
    }
}
