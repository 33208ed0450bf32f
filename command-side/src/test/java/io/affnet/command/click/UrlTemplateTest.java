package io.affnet.command.click;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UrlTemplateTest {

    @Test
    void fillsClickMacrosUrlEncodedAndEmptiesTheOnesWithoutAValue() {
        String url = UrlTemplate.fill("https://shop.example/l?cid={click_id}&s1={sub1}&s3={sub3}&src={source}",
                Map.of("click_id", "clk_1", "sub1", "a b&c=d/é", "source", "mail"));
        assertThat(url).isEqualTo("https://shop.example/l?cid=clk_1&s1=a%20b%26c%3Dd%2F%C3%A9&s3=&src=mail");
    }

    @Test
    void leavesEverythingThatIsNotAClickMacroAsItIs() {
        assertThat(UrlTemplate.fill("https://shop.example/{campaign}/x?a={sub11}&b={&c={sub2", Map.of("sub2", "v", "campaign", "x")))
                .isEqualTo("https://shop.example/{campaign}/x?a={sub11}&b={&c={sub2");
        // A value is never read as a template itself.
        assertThat(UrlTemplate.fill("https://shop.example/?a={sub1}", Map.of("sub1", "{click_id}")))
                .isEqualTo("https://shop.example/?a=%7Bclick_id%7D");
    }
}
