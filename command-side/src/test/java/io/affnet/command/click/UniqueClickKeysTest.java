package io.affnet.command.click;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UniqueClickKeysTest {

    private static final String IP = "0123456789abcdef0123456789abcdef";
    private static final String UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)";

    @Test
    void keysAVisitorByTenantAndOfferInTheTenantScopedStyle() {
        String key = UniqueClickKeys.key("t_1", "off_1", "lnk_1", IP, UA);
        assertThat(key).matches("affnet:t:t_1:uniq:o:off_1:[A-Za-z0-9_-]{20}");
        assertThat(key).isEqualTo(UniqueClickKeys.key("t_1", "off_1", "lnk_2", IP, UA))
                .as("the link does not matter when there is an offer");
    }

    @Test
    void keysAClickWithoutOfferByItsLink() {
        assertThat(UniqueClickKeys.key("t_1", null, "lnk_1", IP, UA)).matches("affnet:t:t_1:uniq:l:lnk_1:[A-Za-z0-9_-]{20}");
    }

    @Test
    void neitherTheIpHashNorTheUserAgentAppearsInTheKey() {
        String key = UniqueClickKeys.key("t_1", "off_1", "lnk_1", IP, UA);
        assertThat(key).doesNotContain(IP).doesNotContain("Mozilla");
        assertThat(key.length()).isLessThanOrEqualTo("affnet:t:t_1:uniq:o:off_1:".length() + 20);
    }

    @Test
    void anotherIpUserAgentOfferOrTenantIsAnotherKey() {
        String key = UniqueClickKeys.key("t_1", "off_1", "lnk_1", IP, UA);
        assertThat(UniqueClickKeys.key("t_1", "off_1", "lnk_1", IP.replace('0', '1'), UA)).isNotEqualTo(key);
        assertThat(UniqueClickKeys.key("t_1", "off_1", "lnk_1", IP, UA + " Safari")).isNotEqualTo(key);
        assertThat(UniqueClickKeys.key("t_1", "off_2", "lnk_1", IP, UA)).isNotEqualTo(key);
        assertThat(UniqueClickKeys.key("t_2", "off_1", "lnk_1", IP, UA)).isNotEqualTo(key);
    }

    @Test
    void fieldBoundariesAndAbsentValuesDoNotCollide() {
        assertThat(UniqueClickKeys.visitor("ab", "c")).isNotEqualTo(UniqueClickKeys.visitor("a", "bc"));
        assertThat(UniqueClickKeys.visitor(IP, null)).isNotEqualTo(UniqueClickKeys.visitor(IP, ""));
        assertThat(UniqueClickKeys.visitor(null, UA)).isNotEqualTo(UniqueClickKeys.visitor("", UA));
        assertThat(UniqueClickKeys.visitor(IP, UA)).isEqualTo(UniqueClickKeys.visitor(IP, UA));
    }

    @Test
    void anOfferIdIsNeverReadAsALinkId() {
        assertThat(UniqueClickKeys.key("t_1", "x", "y", IP, UA)).isNotEqualTo(UniqueClickKeys.key("t_1", null, "x", IP, UA));
    }
}
