package io.affnet.sagas.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostbackSignatureTest {

    @Test
    void signsTimestampMethodUrlAndBodyAsDocumented() {
        // Same vector as docs/outbound-postbacks.md (checked there with openssl).
        assertThat(PostbackSignature.header("whsec_test", 1700000000L, "GET", "https://aff.example/pb?c=1", ""))
                .isEqualTo("t=1700000000,v1=" + PostbackSignature.hmac("whsec_test", "1700000000.GET https://aff.example/pb?c=1."));
        assertThat(PostbackSignature.hmac("whsec_test", "1700000000.GET https://aff.example/pb?c=1."))
                .isEqualTo(DOC_VECTOR);
    }

    static final String DOC_VECTOR = "b05fb33b54157370e8ff1ca01cf91763e8677cd5b8a37aedf1f1946da8fa8285";
}
