package io.affnet.domain.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import io.affnet.api.tenant.ApiKeyIssuedEvent;
import io.affnet.api.tenant.ApiKeyRevokedEvent;
import io.affnet.api.tenant.ApiKeyRotatedEvent;
import io.affnet.api.tenant.IssueApiKeyCommand;
import io.affnet.api.tenant.ReactivateTenantCommand;
import io.affnet.api.tenant.RevokeApiKeyCommand;
import io.affnet.api.tenant.RotateApiKeyCommand;
import io.affnet.api.tenant.SuspendTenantCommand;
import io.affnet.api.tenant.TenantReactivatedEvent;
import io.affnet.api.tenant.TenantRegisteredEvent;
import io.affnet.api.tenant.TenantSuspendedEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

class TenantKeysTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final TenantId T = new TenantId("t_1");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private AggregateTestFixture<Tenant> fixture;

    private final TenantRegisteredEvent registered = new TenantRegisteredEvent(T, "acme", "Acme", "UTC", "EUR",
            "key_admin", "hash", "afn_live_ab", NOW);

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
        fixture.registerCommandHandler(IssueApiKeyCommand.class, m -> {
            IssueApiKeyCommand c = (IssueApiKeyCommand) m.getPayload();
            fixture.getRepository().load(c.tenantId().value()).execute(t -> t.issueApiKey(c, clock));
            return null;
        });
        fixture.registerCommandHandler(RotateApiKeyCommand.class, m -> {
            RotateApiKeyCommand c = (RotateApiKeyCommand) m.getPayload();
            fixture.getRepository().load(c.tenantId().value()).execute(t -> t.rotateApiKey(c, clock));
            return null;
        });
        fixture.registerCommandHandler(RevokeApiKeyCommand.class, m -> {
            RevokeApiKeyCommand c = (RevokeApiKeyCommand) m.getPayload();
            fixture.getRepository().load(c.tenantId().value()).execute(t -> t.revokeApiKey(c.keyId(), c.revokedBy(), clock));
            return null;
        });
        fixture.registerCommandHandler(SuspendTenantCommand.class, m -> {
            SuspendTenantCommand c = (SuspendTenantCommand) m.getPayload();
            fixture.getRepository().load(c.tenantId().value()).execute(t -> t.suspend(c.reason(), c.suspendedBy(), clock));
            return null;
        });
        fixture.registerCommandHandler(ReactivateTenantCommand.class, m -> {
            ReactivateTenantCommand c = (ReactivateTenantCommand) m.getPayload();
            fixture.getRepository().load(c.tenantId().value()).execute(t -> t.reactivate(c.reactivatedBy(), clock));
            return null;
        });
    }

    @Test
    void issuesAKeyRecordingWhoIssuedIt() {
        fixture.given(registered)
                .when(new IssueApiKeyCommand(T, "key_2", "h2", "afn_live_cd", "aff_1", Role.AFFILIATE, "blog", "admin"))
                .expectEvents(new ApiKeyIssuedEvent(T, "key_2", "h2", "afn_live_cd", "aff_1", Role.AFFILIATE, "blog", "admin", NOW));
    }

    @Test
    void refusesOperatorKeysAndKeysWithoutPrincipal() {
        fixture.given(registered)
                .when(new IssueApiKeyCommand(T, "key_2", "h2", "p", "x", Role.OPERATOR, null, "admin"))
                .expectException(InvalidTenantException.class).expectNoEvents();
        fixture.given(registered)
                .when(new IssueApiKeyCommand(T, "key_2", "h2", "p", " ", Role.TENANT_ANALYST, null, "admin"))
                .expectException(InvalidTenantException.class).expectNoEvents();
    }

    @Test
    void rotationSetsTheOldKeysExpiryAfterTheOverlapAndCannotBeRepeatedOnTheOldKey() {
        fixture.given(registered)
                .when(new RotateApiKeyCommand(T, "key_admin", 600, "key_new", "hn", "afn_live_ef", "admin"))
                .expectEvents(new ApiKeyRotatedEvent(T, "key_admin", NOW.plusSeconds(600), "key_new", "hn", "afn_live_ef", "admin", NOW));
        fixture.given(registered, new ApiKeyRotatedEvent(T, "key_admin", NOW, "key_new", "hn", "p", "admin", NOW))
                .when(new RotateApiKeyCommand(T, "key_admin", 0, "key_3", "h3", "p", "admin"))
                .expectException(InvalidTenantException.class).expectNoEvents();
        fixture.given(registered)
                .when(new RotateApiKeyCommand(T, "key_admin", -1, "key_3", "h3", "p", "admin"))
                .expectException(InvalidTenantException.class).expectNoEvents();
    }

    @Test
    void unknownOrRevokedKeysCannotBeRotatedOrRevoked() {
        fixture.given(registered)
                .when(new RevokeApiKeyCommand(T, "key_other_tenant", "admin"))
                .expectException(UnknownApiKeyException.class).expectNoEvents();
        fixture.given(registered, new ApiKeyRevokedEvent(T, "key_admin", "admin", NOW))
                .when(new RotateApiKeyCommand(T, "key_admin", 0, "key_3", "h3", "p", "admin"))
                .expectException(UnknownApiKeyException.class).expectNoEvents();
    }

    @Test
    void suspensionAndReactivationAreRecordedOnceEach() {
        fixture.given(registered)
                .when(new SuspendTenantCommand(T, "unpaid", "operator"))
                .expectEvents(new TenantSuspendedEvent(T, "unpaid", "operator", NOW));
        fixture.given(registered, new TenantSuspendedEvent(T, "unpaid", "operator", NOW))
                .when(new SuspendTenantCommand(T, "again", "operator"))
                .expectSuccessfulHandlerExecution().expectNoEvents();
        fixture.given(registered, new TenantSuspendedEvent(T, "unpaid", "operator", NOW))
                .when(new ReactivateTenantCommand(T, "operator"))
                .expectEvents(new TenantReactivatedEvent(T, "operator", NOW));
        fixture.given(registered)
                .when(new ReactivateTenantCommand(T, "operator"))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }
}
