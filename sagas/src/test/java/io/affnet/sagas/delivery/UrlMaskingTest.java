package io.affnet.sagas.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UrlMaskingTest {

    @Test
    void masksCredentialLikeParametersAndUserInfoAndKeepsTheRest() {
        assertThat(UrlMasking.mask("https://u:p@t.example/pb?cid=1&token=abc&api_key=k&Secret=s&sig=x&payout=2.00&auth=z"))
                .isEqualTo("https://***@t.example/pb?cid=1&token=***&api_key=***&Secret=***&sig=***&payout=2.00&auth=***");
        assertThat(UrlMasking.mask("https://t.example/pb?c=1")).isEqualTo("https://t.example/pb?c=1");
    }
}
