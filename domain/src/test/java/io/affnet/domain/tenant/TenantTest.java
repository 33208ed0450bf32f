package io.affnet.domain.tenant;

import io.affnet.api.common.TenantId;
import io.affnet.api.tenant.RegisterTenantCommand;
import io.affnet.api.tenant.TenantRegisteredEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private AggregateTestFixture<Tenant> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
        fixture.registerCommandHandler(RegisterTenantCommand.class,
                message -> fixture.getRepository().newInstance(() -> new Tenant((RegisterTenantCommand) message.getPayload(), clock)).identifierAsString());
    }

    private RegisterTenantCommand command(String slug, String name, String tz, String currency) {
        return new RegisterTenantCommand(new TenantId("t_1"), slug, name, tz, currency, "k1", "hash", "afn_live_ab");
    }

    @Test
    void registersTenantWithKeyHashAndTime() {
        fixture.givenNoPriorActivity()
                .when(command("acme", "Acme Ltd", "Europe/Berlin", "EUR"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new TenantRegisteredEvent(new TenantId("t_1"), "acme", "Acme Ltd", "Europe/Berlin", "EUR",
                        "k1", "hash", "afn_live_ab", NOW));
    }

    @Test
    void rejectsSlugWithUppercaseOrSpaces() {
        fixture.givenNoPriorActivity()
                .when(command("Acme Ltd", "Acme", "UTC", "EUR"))
                .expectException(InvalidTenantException.class)
                .expectNoEvents();
    }

    @Test
    void rejectsUnknownTimezoneAndCurrency() {
        fixture.givenNoPriorActivity()
                .when(command("acme", "Acme", "Mars/Olympus", "EUR"))
                .expectExceptionMessage("timezone must be an IANA zone id such as Europe/Berlin");
        assertThatThrownBy(() -> TenantRules.validate(command("acme", "Acme", "UTC", "XXQ")))
                .isInstanceOf(InvalidTenantException.class)
                .satisfies(e -> assertThat(((InvalidTenantException) e).field()).isEqualTo("currency"));
    }

    @Test
    void rejectsOversizedName() {
        assertThatThrownBy(() -> TenantRules.validate(command("acme", "x".repeat(201), "UTC", "EUR")))
                .hasMessageContaining("at most 200");
    }
}
