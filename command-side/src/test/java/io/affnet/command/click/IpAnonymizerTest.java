package io.affnet.command.click;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A visitor's IP is kept only as a keyed hash and a coarse network prefix. */
class IpAnonymizerTest {

    @Test
    void theHashIsKeyedStableAnd128Bits() {
        IpAnonymizer one = new IpAnonymizer("a-secret-of-16-chars");
        IpAnonymizer other = new IpAnonymizer("another-secret-16+");
        assertThat(one.hash("203.0.113.7")).matches("[0-9a-f]{32}").isEqualTo(one.hash("203.0.113.7"))
                .isNotEqualTo(one.hash("203.0.113.8")).isNotEqualTo(other.hash("203.0.113.7"));
        assertThatThrownBy(() -> new IpAnonymizer("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpAnonymizer(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePrefixIsA24OrA48AndNothingForWhatIsNotAnAddress() {
        assertThat(IpAnonymizer.prefix("203.0.113.7")).isEqualTo("203.0.113.0/24");
        assertThat(IpAnonymizer.prefix("2001:db8:85a3:8d3:1319:8a2e:370:7348")).isEqualTo("2001:db8:85a3::/48");
        assertThat(IpAnonymizer.prefix("::ffff:198.51.100.9")).as("an IPv4-mapped address").isEqualTo("198.51.100.0/24");
        assertThat(IpAnonymizer.prefix("example.com")).as("never a DNS lookup").isNull();
        assertThat(IpAnonymizer.prefix("unknown")).isNull();
        assertThat(IpAnonymizer.prefix("999.1.1.1")).isNull();
    }
}
