package io.affnet.sagas.delivery;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PostbackUrlsTest {

    @Test
    void fillsKnownMacrosPercentEncodedAndLeavesAbsentOnesEmpty() {
        String url = PostbackUrls.fill("https://t.example/pb?c={click_id}&s={sub1}&x={sub2}",
                Map.of("click_id", "abc", "sub1", "a b+c&d=é~"));
        assertThat(url).isEqualTo("https://t.example/pb?c=abc&s=a%20b%2Bc%26d%3D%C3%A9~&x=");
    }
}
