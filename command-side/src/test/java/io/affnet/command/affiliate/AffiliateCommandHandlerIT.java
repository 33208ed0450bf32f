package io.affnet.command.affiliate;

import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.affiliate.ChangeAffiliateStatusCommand;
import io.affnet.api.affiliate.CreateAffiliateCommand;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.affiliate.UpdateAffiliateCommand;
import io.affnet.api.common.CommandRejection;
import io.affnet.api.common.TenantId;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.offer.Amount;
import io.affnet.command.config.ConfigLookup;
import io.affnet.web.testing.PostgresSchema;
import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The affiliate command handler's checks against the real {@code config_entity}: a payout override names
 * an offer and goal of the command's tenant, and another tenant's affiliate is "not found". The refusals come
 * before the aggregate is loaded or created, so no repository is wired: a command that got past them
 * would fail the test.
 */
class AffiliateCommandHandlerIT {

    private static final TenantId A = TenantId.of("t_affh_a_" + UUID.randomUUID().toString().substring(0, 8));
    private static final TenantId B = TenantId.of("t_affh_b_" + UUID.randomUUID().toString().substring(0, 8));

    private static PostgresSchema schema;
    private static AffiliateCommandHandler handler;

    @BeforeAll
    static void schema() {
        schema = PostgresSchema.create();
        handler = new AffiliateCommandHandler(null, new ConfigLookup(schema.jdbc()));
        insert(A, ConfigEntityKinds.OFFER, "off_1", "{\"id\":\"off_1\",\"currency\":\"EUR\",\"goals\":[{\"name\":\"sale\"}]}");
        insert(B, ConfigEntityKinds.OFFER, "off_b", "{\"id\":\"off_b\",\"currency\":\"EUR\",\"goals\":[{\"name\":\"sale\"}]}");
        insert(B, ConfigEntityKinds.AFFILIATE, "aff_b", "{\"id\":\"aff_b\",\"name\":\"B's\"}");
    }

    @AfterAll
    static void drop() {
        if (schema != null) {
            schema.close();
        }
    }

    private static void insert(TenantId tenant, String kind, String id, String body) {
        schema.jdbc().update("INSERT INTO config_entity (tenant_id, kind, id, version, body) VALUES (?, ?, ?, 1, ?::jsonb)",
                tenant.value(), kind, id, body);
    }

    private static AffiliateProfile profile(String offerId, String goal) {
        return new AffiliateProfile("Pub", "pub@example.com", AffiliateStatus.ACTIVE,
                List.of(new PayoutOverride(offerId, goal, Amount.fixed(100))));
    }

    private static CommandRejection rejection(Executable command) {
        CommandExecutionException e = assertThrows(CommandExecutionException.class, command);
        return (CommandRejection) e.getDetails().orElseThrow();
    }

    @Test
    void anOverrideMustNameAnOfferOfTheTenantAndAGoalOfIt() {
        CommandRejection foreign = rejection(() -> handler.handle(new CreateAffiliateCommand("aff_1", A, profile("off_b", "sale"))));
        assertThat(foreign.kind()).isEqualTo(CommandRejection.Kind.INVALID);
        assertThat(foreign.field()).isEqualTo("payoutOverrides");
        assertThat(foreign.detail()).contains("'off_b'").contains("does not exist");
        CommandRejection goal = rejection(() -> handler.handle(new CreateAffiliateCommand("aff_1", A, profile("off_1", "lead"))));
        assertThat(goal.detail()).contains("no goal 'lead'");
    }

    @Test
    void anotherTenantsAffiliateIsNotFoundLikeAMissingOne() {
        for (Executable command : List.<Executable>of(
                () -> handler.handle(new UpdateAffiliateCommand("aff_b", A, profile("off_1", "sale"))),
                () -> handler.handle(new ChangeAffiliateStatusCommand("aff_b", A, AffiliateStatus.SUSPENDED)),
                () -> handler.handle(new ChangeAffiliateStatusCommand("aff_404", A, AffiliateStatus.SUSPENDED)))) {
            CommandRejection rejection = rejection(command);
            assertThat(rejection.kind()).isEqualTo(CommandRejection.Kind.NOT_FOUND);
            assertThat(rejection.detail()).isEqualTo("Affiliate not found");
        }
    }
}
