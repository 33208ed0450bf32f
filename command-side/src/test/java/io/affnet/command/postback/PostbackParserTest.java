package io.affnet.command.postback;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Postbacks in the shapes advertisers already send (TUNE, Everflow, Voluum, Keitaro, Binom) and what is refused. */
class PostbackParserTest {

    private static Map<String, String[]> query(String... pairs) {
        Map<String, String[]> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], new String[]{pairs[i + 1]});
        }
        return query;
    }

    @Test
    void readsEachPartFromTheFirstAliasPresent() {
        PostbackParser.Parsed p = PostbackParser.parse(query("subid", "clk_1", "adv_sub", "order-7", "event", "sale",
                "sale_amount", "19.90", "cur", "eur", "cnv_status", "approved", "security_token", "tok", "customer_email", "a@b.example"));
        assertThat(p).isEqualTo(new PostbackParser.Parsed("clk_1", "order-7", "sale", new BigDecimal("19.90"), "EUR",
                "approved", "tok", "a@b.example"));
        assertThat(PostbackParser.parse(query("cid", "clk_2", "click_id", "clk_1")).clickId())
                .as("click_id comes before cid whatever the order of the query").isEqualTo("clk_1");
    }

    @Test
    void anUnfilledMacroCountsAsAbsentSoTheNextAliasIsRead() {
        for (String macro : new String[]{"{aff_sub}", "[clickid]", "%clickid%", "#sale#", "${cid}", "REPLACE", "null", "undefined", "  "}) {
            assertThat(PostbackParser.parse(query("click_id", macro, "clickid", "clk_9")).clickId()).as(macro).isEqualTo("clk_9");
        }
        PostbackParser.Parsed none = PostbackParser.parse(query("click_id", "{click_id}", "amount", "{sum}"));
        assertThat(none.clickId()).isNull();
        assertThat(none.amount()).isNull();
    }

    @Test
    void readsAmountsWrittenTheWaysAdvertisersWriteThem() {
        assertThat(PostbackParser.amount("12.50", "amount")).isEqualByComparingTo("12.50");
        assertThat(PostbackParser.amount("12,50", "amount")).isEqualByComparingTo("12.50");
        assertThat(PostbackParser.amount("1,234.56", "amount")).isEqualByComparingTo("1234.56");
        assertThat(PostbackParser.amount("1.234,56", "amount")).isEqualByComparingTo("1234.56");
        assertThat(PostbackParser.amount("1 234,56", "amount")).isEqualByComparingTo("1234.56");
        assertThat(PostbackParser.amount("1,234", "amount")).as("one separator is always the decimal one").isEqualByComparingTo("1.234");
        assertThat(PostbackParser.amount("1,234,567", "amount")).isEqualByComparingTo("1234567");
        assertThat(PostbackParser.amount("1.234.567", "amount")).isEqualByComparingTo("1234567");
        assertThat(PostbackParser.amount(" 7 ", "amount")).isEqualByComparingTo("7");
    }

    @Test
    void refusesAmountsThatAreNotPlainNonNegativeNumbersOrTooLarge() {
        for (String bad : new String[]{"-5", "1e3", "0x10", "12.50 EUR", "NaN", "1..2", "12.123456789"}) {
            assertThatThrownBy(() -> PostbackParser.parse(query("payout", bad))).as(bad)
                    .isInstanceOfSatisfying(PostbackParser.MalformedPostbackException.class,
                            e -> assertThat(e.parameter()).isEqualTo("payout"));
        }
        assertThatThrownBy(() -> PostbackParser.amount(PostbackParser.MAX_AMOUNT.add(BigDecimal.ONE).toPlainString(), "amount"))
                .hasMessageContaining("above the largest amount");
        // With a currency the bound is in its minor units: a yen amount has none, a dinar three.
        assertThatThrownBy(() -> PostbackParser.parse(query("amount", "90000000000000", "currency", "KWD")))
                .isInstanceOfSatisfying(PostbackParser.MalformedPostbackException.class, e -> assertThat(e.parameter()).isEqualTo("amount"));
    }

    @Test
    void refusesCurrenciesThatAreNotIsoCodesAndOverlongOrControlCharacterValues() {
        assertThatThrownBy(() -> PostbackParser.parse(query("currency", "EURO"))).hasMessageContaining("three-letter");
        assertThatThrownBy(() -> PostbackParser.parse(query("currency", "XQZ"))).hasMessageContaining("not a known");
        assertThatThrownBy(() -> PostbackParser.parse(query("click_id", "x".repeat(PostbackParser.MAX_VALUE + 1))))
                .isInstanceOfSatisfying(PostbackParser.MalformedPostbackException.class, e -> assertThat(e.parameter()).isEqualTo("click_id"));
        assertThatThrownBy(() -> PostbackParser.parse(query("utm_campaign", "a\u0000b")))
                .as("any parameter, not only the ones read").hasMessageContaining("control character");
        assertThatThrownBy(() -> PostbackParser.parse(query("txn_id", "a\u0085b"))).as("a C1 control").hasMessageContaining("control character");
    }
}
