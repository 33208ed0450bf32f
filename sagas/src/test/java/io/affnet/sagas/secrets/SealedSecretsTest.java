package io.affnet.sagas.secrets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealedSecretsTest {

    private final byte[] key = SealedSecrets.key("a-platform-key-of-some-length");

    @Test
    void aSealedSecretOpensWithTheSameKeyOnlyAndNeverContainsTheSecret() {
        String secret = SealedSecrets.newSecret();
        String sealed = SealedSecrets.seal(secret, key);
        assertThat(sealed).startsWith("v1.").doesNotContain(secret.substring(6));
        assertThat(SealedSecrets.seal(secret, key)).as("a fresh IV each time").isNotEqualTo(sealed);
        assertThat(SealedSecrets.open(sealed, key)).isEqualTo(secret);
        assertThatThrownBy(() -> SealedSecrets.open(sealed, SealedSecrets.key("another-platform-key-xx")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesAShortPlatformKey() {
        assertThatThrownBy(() -> SealedSecrets.key("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
