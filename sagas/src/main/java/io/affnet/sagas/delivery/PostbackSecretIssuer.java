package io.affnet.sagas.delivery;

import io.affnet.api.outbound.PostbackSecrets;
import io.affnet.sagas.secrets.SealedSecrets;

/** Issues postback signing secrets sealed with the platform key ({@code affnet.outbound.secret-key}) that the senders open them with. */
public class PostbackSecretIssuer implements PostbackSecrets {

    private final byte[] sealingKey;

    public PostbackSecretIssuer(OutboundProperties properties) {
        this.sealingKey = SealedSecrets.key(properties.secretKey());
    }

    @Override
    public Issued issue() {
        String secret = SealedSecrets.newSecret();
        return new Issued(secret, SealedSecrets.seal(secret, sealingKey));
    }
}
