package io.affnet.sagas.payout.processor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayoutKeysTest {

    @Test
    void keysArePureFunctionsOfTenantAndPayout() {
        assertThat(PayoutKeys.stripeIdempotencyKey("t1", "p1")).isEqualTo(PayoutKeys.stripeIdempotencyKey("t1", "p1"));
        assertThat(PayoutKeys.paypalSenderBatchId("t1", "p1")).isEqualTo(PayoutKeys.paypalSenderBatchId("t1", "p1"));
    }

    @Test
    void keysDifferAcrossTenantsAndPayoutsAndCannotBeForgedByShiftingTheSeparator() {
        assertThat(PayoutKeys.stripeIdempotencyKey("t1", "p1")).isNotEqualTo(PayoutKeys.stripeIdempotencyKey("t2", "p1"));
        assertThat(PayoutKeys.stripeIdempotencyKey("t1", "p1")).isNotEqualTo(PayoutKeys.stripeIdempotencyKey("t1", "p2"));
        assertThat(PayoutKeys.stripeTransferGroup("ab", "c")).isNotEqualTo(PayoutKeys.stripeTransferGroup("a", "bc"));
    }

    @Test
    void keysFitTheProvidersLimits() {
        assertThat(PayoutKeys.stripeIdempotencyKey("t", "p")).hasSizeLessThanOrEqualTo(255);
        assertThat(PayoutKeys.paypalSenderBatchId("t", "p")).hasSizeLessThanOrEqualTo(127);
        assertThat(PayoutKeys.paypalSenderItemId("t", "p")).hasSizeLessThanOrEqualTo(127);
    }
}
