package io.affnet.platform.tenancy;

import io.affnet.api.common.Role;
import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys and postback tokens appear once, in the answer that creates them, and never again: not in the
 * logs (everything written to stdout/stderr is captured, at the levels the platform logs at), not in
 * errors, not in the event store.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsIT extends PlatformIT {

    @Test
    void noSecretReachesLogsErrorsOrEvents(CapturedOutput output) {
        TenantFixture t = TenantFixture.create(this, "secrets");
        List<String> secrets = new ArrayList<>(t.secrets);
        String[] rotatedFrom = t.newKey("{\"role\":\"TENANT_ANALYST\",\"label\":\"ops\"}");
        Response rotated = send("POST", "/api/v1/keys/" + rotatedFrom[0] + "/rotate?overlapSeconds=0", t.admin(), null);
        secrets.add(rotatedFrom[1]);
        secrets.add(rotated.json().get("key").asText());
        secrets.add(PlatformIT.OPERATOR_KEY);

        // Failed authentication with keys that are almost right, revoked, or rotated away.
        String almost = t.admin().substring(0, t.admin().length() - 2) + "xx";
        secrets.add(almost);
        List<Response> failures = new ArrayList<>();
        failures.add(send("GET", "/api/v1/offers", almost, null));
        failures.add(send("GET", "/api/v1/offers", rotatedFrom[1], null));
        failures.add(send("GET", "/api/v1/offers", "afn_live_" + "A".repeat(300), null));
        failures.add(send("POST", "/api/v1/tenants", t.keys.get(Role.TENANT_ANALYST), "{\"slug\":\"nope-x\",\"name\":\"n\"}"));
        // A postback with a wrong token and one with a right token but a malformed amount.
        String wrongToken = t.token.substring(0, t.token.length() - 3) + "abc";
        secrets.add(wrongToken);
        failures.add(send("GET", "/postback?click_id=nope&token=" + wrongToken, null, null));
        failures.add(send("GET", "/postback?click_id=nope&amount=12..3&token=" + t.token, null, null));
        failures.add(send("GET", "/postback?click_id=nope&goal=sale&token=" + t.token, null, null));
        // A body with a secret in a field the API does not know.
        failures.add(send("POST", "/api/v1/keys", t.admin(), "{\"role\":\"AUDITOR\",\"key\":\"" + t.token + "\"}"));
        Response revoke = send("DELETE", "/api/v1/postback-tokens/" + t.tokenId, t.admin(), null);
        assertThat(revoke.status()).isEqualTo(204);
        failures.add(send("GET", "/postback?click_id=nope&token=" + t.token, null, null));

        // Postbacks answer 200 with 'rejected:<reason>' in the body; nothing here may succeed or break.
        assertThat(failures).extracting(Response::status).doesNotContain(201, 500);
        for (String secret : secrets) {
            assertThat(output.getAll()).as("logs").doesNotContain(secret);
            for (Response failure : failures) {
                assertThat(failure.body()).as("error answer").doesNotContain(secret);
            }
            Integer inEvents = jdbc.queryForObject(
                    "SELECT count(*) FROM domainevententry WHERE position(convert_to(?, 'UTF8') in payload) > 0 "
                            + "OR position(convert_to(?, 'UTF8') in metadata) > 0",
                    Integer.class, secret, secret);
            assertThat(inEvents).as("events holding a secret").isZero();
        }
    }
}
