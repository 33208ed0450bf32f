package io.affnet.command.config;

import io.affnet.api.common.TenantId;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.web.testing.PostgresSchema;
import io.affnet.domain.config.NotInTenantException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration commands' cross-aggregate checks on the real {@code config_entity}: always within the command's tenant. */
class ConfigLookupIT {

    private static PostgresSchema schema;
    private static ConfigLookup lookup;
    private static final TenantId A = TenantId.of("t_cfg_a_" + UUID.randomUUID().toString().substring(0, 8));
    private static final TenantId B = TenantId.of("t_cfg_b_" + UUID.randomUUID().toString().substring(0, 8));

    @BeforeAll
    static void schema() {
        schema = PostgresSchema.create();
        lookup = new ConfigLookup(schema.jdbc());
        entity(A, ConfigEntityKinds.OFFER, "off_1", """
                {"name":"Shoes","currency":"EUR","goals":[{"name":"sale"},{"name":"lead"}]}""");
        entity(A, ConfigEntityKinds.AFFILIATE, "aff_1", "{\"name\":\"Pub\"}");
        entity(B, ConfigEntityKinds.OFFER, "off_2", "{\"name\":\"Hats\",\"currency\":\"USD\",\"goals\":[{\"name\":\"install\"}]}");
    }

    @AfterAll
    static void drop() {
        if (schema != null) {
            schema.close();
        }
    }

    private static void entity(TenantId tenant, String kind, String id, String body) {
        schema.jdbc().update("INSERT INTO config_entity (tenant_id, kind, id, version, body) VALUES (?, ?, ?, 1, ?::jsonb)",
                tenant.value(), kind, id, body);
    }

    @Test
    void anEntityExistsOnlyInItsOwnTenantAndAsItsOwnKind() {
        assertThat(lookup.exists(A, ConfigEntityKinds.OFFER, "off_1")).isTrue();
        assertThat(lookup.exists(B, ConfigEntityKinds.OFFER, "off_1")).isFalse();
        assertThat(lookup.exists(A, ConfigEntityKinds.OFFER, "off_2")).as("B's offer").isFalse();
        assertThat(lookup.exists(A, ConfigEntityKinds.AFFILIATE, "off_1")).isFalse();
        assertThat(lookup.body(A, ConfigEntityKinds.AFFILIATE, "aff_1")).hasValueSatisfying(b -> assertThat(b).contains("\"Pub\""));
        assertThat(lookup.body(B, ConfigEntityKinds.AFFILIATE, "aff_1")).isEmpty();
    }

    @Test
    void anotherTenantsTargetIsNotFoundLikeAMissingOne() {
        lookup.requireTarget(A, ConfigEntityKinds.OFFER, "off_1", "Offer");
        assertThatThrownBy(() -> lookup.requireTarget(A, ConfigEntityKinds.OFFER, "off_2", "Offer"))
                .isInstanceOf(NotInTenantException.class).hasMessage("Offer not found");
        assertThatThrownBy(() -> lookup.requireTarget(A, ConfigEntityKinds.OFFER, "off_404", "Offer"))
                .isInstanceOf(NotInTenantException.class).hasMessage("Offer not found");
        assertThatThrownBy(() -> lookup.requireTarget(A, ConfigEntityKinds.OFFER, null, "Offer")).isInstanceOf(NotInTenantException.class);
    }

    @Test
    void goalsAndCurrencyAreReadFromTheTenantsOwnOffer() {
        assertThat(lookup.goalsOf(A, "off_1")).containsExactlyInAnyOrder("sale", "lead");
        assertThat(lookup.goalsOf(A, "off_2")).isEmpty();
        assertThat(lookup.goalsOf(B, "off_2")).containsExactly("install");
        assertThat(lookup.currencyOf(A, "off_1")).isEqualTo("EUR");
        assertThat(lookup.currencyOf(A, "off_2")).isNull();
    }
}
