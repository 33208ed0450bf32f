package io.affnet.platform.config;

import io.affnet.api.common.Money;
import io.affnet.api.payout.PayoutState;
import io.affnet.api.payout.PayoutStateChangedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A payout change stored before it carried {@code paid} still reads, with null; a new one keeps it. */
class StoredPayoutChangeCompatibilityTest {

    @Test
    void anEventStoredWithoutPaidReadsAsNullAndANewOneRoundTrips() throws Exception {
        String stored = """
                {"tenantId":"t_1","affiliateId":"aff-1","payoutId":"po-1","runId":"run-1","processor":"paypal",
                 "from":"RESERVED","to":"SENT","reference":"ref","batchReference":"b","reason":null,"entries":[],
                 "postedAt":"2026-11-01T10:00:00Z"}""";
        var mapper = JsonConfiguration.storageMapper();
        PayoutStateChangedEvent old = mapper.readValue(stored, PayoutStateChangedEvent.class);
        assertThat(old.to()).isEqualTo(PayoutState.SENT);
        assertThat(old.postedAt()).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
        assertThat(old.paid()).isNull();

        PayoutStateChangedEvent now = new PayoutStateChangedEvent(old.tenantId(), "aff-1", "po-1", "run-1", "paypal",
                PayoutState.RESERVED, PayoutState.SENT, "ref", "b", null, java.util.List.of(), old.postedAt(), new Money(990, "JPY"));
        assertThat(mapper.readValue(mapper.writeValueAsString(now), PayoutStateChangedEvent.class)).isEqualTo(now);
    }
}
