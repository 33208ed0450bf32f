package io.affnet.sagas.payout.processor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiBasesTest {

    @Test
    void productionTakesOnlyHttpsHostNames() {
        assertThat(ApiBases.refusal("https://api.stripe.com", false)).isEmpty();
        assertThat(ApiBases.refusal("https://api-m.paypal.com/", false)).isEmpty();
        assertThat(ApiBases.refusal("http://api.stripe.com", false)).get().asString().contains("https");
        assertThat(ApiBases.refusal("http://127.0.0.1:8080", false)).isPresent();
        assertThat(ApiBases.refusal("https://127.0.0.1", false)).isPresent();
        assertThat(ApiBases.refusal("https://10.0.0.5", false)).isPresent();
        assertThat(ApiBases.refusal("https://localhost", false)).isPresent();
        assertThat(ApiBases.refusal("https://user:pw@api.stripe.com", false)).isPresent();
        assertThat(ApiBases.refusal("https://api.stripe.com?x=1", false)).isPresent();
        assertThat(ApiBases.refusal("not a url", false)).isPresent();
        assertThat(ApiBases.refusal("", false)).isPresent();
    }

    @Test
    void localTestBasesOnlyWhenTheOperatorAllowsThem() {
        assertThat(ApiBases.refusal("http://127.0.0.1:43210", true)).isEmpty();
        assertThat(ApiBases.refusal("http://localhost:43210", true)).isEmpty();
        assertThat(ApiBases.refusal("http://10.0.0.5", true)).isPresent();
        assertThat(ApiBases.refusal("http://api.stripe.com", true)).isPresent();
    }
}
