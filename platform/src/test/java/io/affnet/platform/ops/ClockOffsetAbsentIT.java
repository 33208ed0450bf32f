package io.affnet.platform.ops;

import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The test-only clock step ({@code affnet.clock.steppable}) does not exist on a platform started without it. */
class ClockOffsetAbsentIT extends PlatformIT {

    @Test
    void withoutThePropertyThereIsNoClockOffsetEndpoint() {
        assertThat(send("PUT", "/api/v1/ops/clock-offset", OPERATOR_KEY, "{\"offset\":\"PT5M\"}").status()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/ops/clock-offset", OPERATOR_KEY, null).status()).isEqualTo(404);
    }
}
