package io.affnet.command.postback;

import io.affnet.api.conversion.ExchangeRate;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EcbReferenceRatesTest {

    @Test
    void theShippedFileHasEveryCurrencyTheEcbPublishedThatDay() throws IOException {
        RateSet set = RateSource.shipped().load();
        assertThat(set.asOf()).isEqualTo(LocalDate.of(2022, 7, 8));
        assertThat(set.base()).isEqualTo("EUR");
        assertThat(set.unitsPerBase()).hasSize(32).containsEntry("USD", new BigDecimal("1.0163"))
                .containsEntry("JPY", new BigDecimal("138.05")).containsEntry("EUR", BigDecimal.ONE);
        assertThat(set.knows("ZAR")).isTrue();
        assertThat(set.knows("KZT")).isFalse();
        assertThat(set.knows("KWD")).isFalse();
    }

    @Test
    void crossRatesGoThroughTheEuro() throws IOException {
        RateSet set = RateSource.shipped().load();
        ExchangeRate usdToEur = set.rate("USD", "EUR").orElseThrow();
        assertThat(usdToEur.rate()).isEqualTo("0.9839614287119945");
        assertThat(usdToEur.asOf()).isEqualTo(LocalDate.of(2022, 7, 8));
        assertThat(usdToEur.source()).isEqualTo("ecb-shipped");
        assertThat(set.rate("EUR", "JPY").orElseThrow().rate()).isEqualTo("138.05");
        assertThat(new BigDecimal(set.rate("USD", "JPY").orElseThrow().rate())).isBetween(new BigDecimal("135.83"),
                new BigDecimal("135.84"));
        assertThat(set.rate("KZT", "EUR")).isEmpty();
    }

    @Test
    void theSameContentHasTheSameSetIdAndAnotherDayAnother() throws IOException {
        String xml = "<gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01' "
                + "xmlns='http://www.ecb.int/vocabulary/2002-08-01/eurofxref'><Cube><Cube time='%s'>"
                + "<Cube currency='USD' rate='1.1'/></Cube></Cube></gesmes:Envelope>";
        RateSet a = EcbReferenceRates.parse(stream(xml.formatted("2026-12-04")), "ecb-url");
        RateSet b = EcbReferenceRates.parse(stream(xml.formatted("2026-12-04")), "ecb-url");
        RateSet c = EcbReferenceRates.parse(stream(xml.formatted("2026-12-05")), "ecb-url");
        assertThat(a.id()).isEqualTo(b.id()).isNotEqualTo(c.id());
    }

    @Test
    void refusesADocumentThatIsNotAnEcbFileOrCarriesADoctype() {
        assertThatThrownBy(() -> EcbReferenceRates.parse(stream("<html><body>maintenance</body></html>"), "ecb-url"))
                .isInstanceOf(IOException.class).hasMessageContaining("not an ECB eurofxref file");
        String xxe = "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
                + "<Envelope xmlns='http://www.ecb.int/vocabulary/2002-08-01/eurofxref'><Cube><Cube time='2026-12-04'>"
                + "<Cube currency='USD' rate='&e;'/></Cube></Cube></Envelope>";
        assertThatThrownBy(() -> EcbReferenceRates.parse(stream(xxe), "ecb-url")).isInstanceOf(IOException.class);
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
