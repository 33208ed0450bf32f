package io.affnet.platform.tenancy;

import io.affnet.api.common.Role;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class SuspensionIT extends PlatformIT {

    @Test
    void suspensionStopsLinksKeysAndPostbacksAtOnceAndReactivationRestoresThem() throws Exception {
        Traffic t = Traffic.tenant(this, "suspend", false);
        String offer = t.offer("{}", 86_400);
        String affiliate = t.affiliate("aff@example.com", "[]");
        String code = t.link(affiliate, offer);
        String clickId = t.clickId(code);

        Response suspended = send("POST", "/api/v1/tenants/" + t.tenantId + "/suspend", OPERATOR_KEY, "{\"reason\":\"unpaid\"}");
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);

        // No waiting: the command wrote the status to Redis and told every node before it answered.
        HttpResponse<String> click = t.click(code);
        assertThat(click.statusCode()).isNotEqualTo(302);
        Response key = send("GET", "/api/v1/offers", t.key, null);
        assertThat(key.status()).isEqualTo(403);
        assertThat(key.body()).contains("tenant-suspended");
        Response postback = t.postback("click_id=" + clickId + "&txn_id=o-1&goal=lead&status=approved");
        assertThat(postback.status()).isEqualTo(403);
        assertThat(t.count(clickId, "io.affnet.api.conversion.ConversionRecordedEvent")).isZero();
        assertThat(send("GET", "/api/v1/tenants/" + t.tenantId, OPERATOR_KEY, null).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT status FROM tenant_status WHERE tenant_id = ?", String.class, t.tenantId))
                .isEqualTo("SUSPENDED");

        assertThat(send("POST", "/api/v1/tenants/" + t.tenantId + "/reactivate", OPERATOR_KEY, null).status()).isEqualTo(200);
        assertThat(t.click(code).statusCode()).isEqualTo(302);
        assertThat(send("GET", "/api/v1/offers", t.key, null).status()).isEqualTo(200);
        assertThat(t.postback("click_id=" + clickId + "&txn_id=o-1&goal=lead&status=approved").body()).startsWith("accepted");
    }

    @Test
    void onlyTheOperatorSuspendsAndAnUnknownTenantIsNotFound() {
        TenantFixture t = TenantFixture.create(this, "suspend-roles");
        for (Role role : t.keys.keySet()) {
            assertThat(send("POST", "/api/v1/tenants/" + t.tenantId + "/suspend", t.keys.get(role), null).status())
                    .as(role.name()).isEqualTo(403);
        }
        assertThat(send("POST", "/api/v1/tenants/t_missing/suspend", OPERATOR_KEY, null).status()).isEqualTo(404);
        assertThat(send("POST", "/api/v1/tenants/" + t.tenantId + "/suspend", OPERATOR_KEY,
                "{\"reason\":\"" + "x".repeat(501) + "\"}").status()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/offers", t.admin(), null).status()).isEqualTo(200);
    }
}
