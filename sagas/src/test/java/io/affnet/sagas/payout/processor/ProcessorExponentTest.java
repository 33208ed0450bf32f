package io.affnet.sagas.payout.processor;

import io.affnet.sagas.payout.paypal.PayPalCurrencies;
import io.affnet.sagas.payout.stripe.StripeCurrencies;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessorExponentTest {

    @Test
    void stripeTakesYenAndWonInWholeUnitsNeverTimesAHundred() {
        assertThat(StripeCurrencies.exponent("JPY").toProcessorUnits(1500)).contains(1500L);
        assertThat(StripeCurrencies.exponent("KRW").toProcessorUnits(10_000)).contains(10_000L);
        assertThat(StripeCurrencies.exponent("USD").toProcessorUnits(1250)).contains(1250L);
    }

    @Test
    void stripeSpecialCasesAreExactOrRefused() {
        assertThat(StripeCurrencies.exponent("ISK").toProcessorUnits(500)).contains(50_000L);
        assertThat(StripeCurrencies.exponent("UGX").toProcessorUnits(3000)).contains(300_000L);
        assertThat(StripeCurrencies.exponent("HUF").toProcessorUnits(12300)).contains(12300L);
        assertThat(StripeCurrencies.exponent("HUF").toProcessorUnits(12345)).isEmpty();
        assertThat(StripeCurrencies.exponent("TWD").toProcessorUnits(99)).isEmpty();
        assertThat(StripeCurrencies.exponent("KWD").toProcessorUnits(1230)).contains(1230L);
        assertThat(StripeCurrencies.exponent("KWD").toProcessorUnits(1235)).isEmpty();
        assertThat(StripeCurrencies.exponent("MGA").toProcessorUnits(150)).isEmpty();
        assertThat(StripeCurrencies.exponent("MGA").toProcessorUnits(1500)).contains(15L);
        assertThat(StripeCurrencies.exponent("ISK").toIsoMinor(50_050)).isEmpty();
    }

    @Test
    void paypalWritesHufJpyAndTwdWithoutDecimals() {
        assertThat(PayPalCurrencies.exponent("HUF").toDecimalString(12300)).contains("123");
        assertThat(PayPalCurrencies.exponent("HUF").toDecimalString(12345)).isEmpty();
        assertThat(PayPalCurrencies.exponent("TWD").toDecimalString(5000)).contains("50");
        assertThat(PayPalCurrencies.exponent("JPY").toDecimalString(1500)).contains("1500");
        assertThat(PayPalCurrencies.exponent("USD").toDecimalString(1205)).contains("12.05");
        assertThat(PayPalCurrencies.exponent("USD").fromDecimalString("12.05")).contains(1205L);
        assertThat(PayPalCurrencies.exponent("USD").fromDecimalString("12.050")).contains(1205L);
        assertThat(PayPalCurrencies.exponent("USD").fromDecimalString("12.055")).isEmpty();
        assertThat(PayPalCurrencies.exponent("HUF").fromDecimalString("123.5")).isEmpty();
        assertThat(PayPalCurrencies.exponent("HUF").fromDecimalString("123")).contains(12300L);
    }

    @Test
    void everyConvertibleAmountComesBackUnchanged() {
        Random rng = new Random(2026);
        List<ProcessorExponent> table = List.of("USD", "EUR", "JPY", "HUF", "TWD", "ISK", "UGX", "KWD", "MGA", "CLP").stream()
                .flatMap(c -> java.util.stream.Stream.of(StripeCurrencies.exponent(c), PayPalCurrencies.exponent(c))).toList();
        for (int i = 0; i < 20_000; i++) {
            ProcessorExponent e = table.get(rng.nextInt(table.size()));
            long minor = 1 + (long) (rng.nextDouble() * 1_000_000_000L);
            Optional<Long> units = e.toProcessorUnits(minor);
            units.ifPresent(u -> assertThat(e.toIsoMinor(u)).as("%s %d", e, minor).contains(minor));
            e.toDecimalString(minor).ifPresent(s -> assertThat(e.fromDecimalString(s)).as("%s %s", e, s).contains(minor));
        }
        assertThat(StripeCurrencies.exponent("USD").toProcessorUnits(Long.MAX_VALUE)).contains(Long.MAX_VALUE);
        assertThat(StripeCurrencies.exponent("ISK").toProcessorUnits(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void refusalTablesNameWhatCannotBePaid() {
        assertThat(StripeCurrencies.refusal("US", "USD")).isEmpty();
        assertThat(StripeCurrencies.refusal("IN", "USD")).isPresent();
        assertThat(StripeCurrencies.refusal("US", "XYZ")).isPresent();
        assertThat(PayPalCurrencies.refusal("DE", "EUR")).isEmpty();
        assertThat(PayPalCurrencies.refusal("DE", "ISK")).get().asString().contains("ISK");
        assertThat(PayPalCurrencies.refusal("IR", "EUR")).isPresent();
    }
}
