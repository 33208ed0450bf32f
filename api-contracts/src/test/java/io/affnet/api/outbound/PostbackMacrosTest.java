package io.affnet.api.outbound;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PostbackMacrosTest {

    @Test
    void fillsKnownMacrosPercentEncodedAndLeavesAbsentOnesEmpty() {
        String url = PostbackMacros.fill("https://t.example/pb?c={click_id}&s={sub1}&x={sub2}",
                Map.of("click_id", "abc", "sub1", "a b+c&d=é~"));
        assertThat(url).isEqualTo("https://t.example/pb?c=abc&s=a%20b%2Bc%26d%3D%C3%A9~&x=");
    }

    @Test
    void acceptsAGoodTemplate() {
        assertThat(PostbackMacros.problem("https://t.example:8443/p/{offer_id}?c={click_id}&ts={timestamp}")).isNull();
    }

    @Test
    void refusesUnknownMacrosBadSchemesMacroHostsAndLongUrls() {
        assertThat(PostbackMacros.problem("https://t.example/?c={clickid}")).contains("unknown macros {clickid}");
        assertThat(PostbackMacros.problem("ftp://t.example/")).contains("http:// or https://");
        assertThat(PostbackMacros.problem("//t.example/")).contains("http:// or https://");
        assertThat(PostbackMacros.problem("https://{sub1}.t.example/")).contains("not in the scheme, host or port");
        assertThat(PostbackMacros.problem("https://t.example:{sub1}/")).contains("not in the scheme, host or port");
        assertThat(PostbackMacros.problem("https://user:pw@t.example/")).contains("user name or password");
        assertThat(PostbackMacros.problem("https://t.example/?c={click_id")).contains("unclosed");
        assertThat(PostbackMacros.problem("https://t.example/#x")).contains("fragment");
        assertThat(PostbackMacros.problem("https://t.example/?" + "a".repeat(2050))).contains("longer than 2048");
    }

    @Test
    void theMostSpecificScopeScoresHighest() {
        PostbackTemplate global = new PostbackTemplate(null, null, PostbackMethod.GET, "https://a/");
        PostbackTemplate offer = new PostbackTemplate("o1", null, PostbackMethod.GET, "https://a/");
        PostbackTemplate goal = new PostbackTemplate("o1", "sale", PostbackMethod.GET, "https://a/");
        assertThat(global.specificityFor("o1", "sale")).isZero();
        assertThat(offer.specificityFor("o1", "sale")).isEqualTo(1);
        assertThat(goal.specificityFor("o1", "sale")).isEqualTo(2);
        assertThat(goal.specificityFor("o1", "lead")).isNegative();
        assertThat(offer.specificityFor("o2", "sale")).isNegative();
    }
}
