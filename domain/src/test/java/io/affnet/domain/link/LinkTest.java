package io.affnet.domain.link;

import io.affnet.api.common.TenantId;
import io.affnet.api.link.CreateLinkCommand;
import io.affnet.api.link.LinkCreatedEvent;
import io.affnet.api.link.LinkSettings;
import io.affnet.api.link.LinkStatus;
import io.affnet.api.link.LinkUpdatedEvent;
import io.affnet.api.link.UpdateLinkCommand;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LinkTest {

    private static final TenantId TENANT = new TenantId("t_1");
    private static final String CODE = "Ab3dEf6hIj9kLm0p";
    private static final LinkSettings PLAIN = new LinkSettings("aff_1", List.of("off_1"), null, Map.of(), LinkStatus.ACTIVE);
    private AggregateTestFixture<Link> fixture;

    /** The tenant's other entities, as the command side's lookup would report them. */
    private final java.util.Set<String> existing = new java.util.HashSet<>(java.util.Set.of("aff_1", "off_1", "off_2", "adv_1", "adv1"));
    private final io.affnet.domain.config.ConfigReferences references = (tenant, kind, id) -> existing.contains(id);

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Link.class);
        fixture.registerCommandHandler(CreateLinkCommand.class, m -> fixture.getRepository()
                .newInstance(() -> new Link((CreateLinkCommand) m.getPayload(), references)).identifierAsString());
        fixture.registerCommandHandler(UpdateLinkCommand.class, m -> {
            UpdateLinkCommand c = (UpdateLinkCommand) m.getPayload();
            fixture.getRepository().load(c.linkId()).execute(l -> l.handle(c, references));
            return null;
        });
    }

    @Test
    void createsLinkWithItsCode() {
        fixture.givenNoPriorActivity()
                .when(new CreateLinkCommand("lnk_1", TENANT, CODE, PLAIN))
                .expectEvents(new LinkCreatedEvent("lnk_1", TENANT, CODE, 1, PLAIN));
    }

    @Test
    void updateKeepsCodeAndBumpsVersion() {
        LinkSettings smart = new LinkSettings("aff_1", List.of("off_1", "off_2"), "thompson-epc", Map.of("prior", "1"),
                LinkStatus.ACTIVE);
        fixture.given(new LinkCreatedEvent("lnk_1", TENANT, CODE, 1, PLAIN))
                .when(new UpdateLinkCommand("lnk_1", TENANT, smart))
                .expectEvents(new LinkUpdatedEvent("lnk_1", TENANT, CODE, 2, smart));
    }

    @Test
    void rejectsUnknownPolicyDuplicateOffersAndShortCodes() {
        fixture.givenNoPriorActivity()
                .when(new CreateLinkCommand("lnk_1", TENANT, CODE,
                        new LinkSettings("aff_1", List.of("off_1", "off_2"), "epsilon-greedy", Map.of(), LinkStatus.ACTIVE)))
                .expectException(InvalidConfigurationException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("uniform, weights, binom"));
        fixture.givenNoPriorActivity()
                .when(new CreateLinkCommand("lnk_1", TENANT, CODE,
                        new LinkSettings("aff_1", List.of("off_1", "off_1"), null, Map.of(), LinkStatus.ACTIVE)))
                .expectException(InvalidConfigurationException.class)
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateLinkCommand("lnk_1", TENANT, "abc", PLAIN))
                .expectException(InvalidConfigurationException.class)
                .expectNoEvents();
    }

    @Test
    void refusesCommandOfAnotherTenant() {
        fixture.given(new LinkCreatedEvent("lnk_1", TENANT, CODE, 1, PLAIN))
                .when(new UpdateLinkCommand("lnk_1", new TenantId("t_2"), PLAIN))
                .expectException(NotInTenantException.class)
                .expectNoEvents();
    }

    @Test
    void mintedCodesAreLongBase62AndDistinct() {
        SecureRandom random = new SecureRandom();
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String code = LinkCodes.mint(random);
            assertThat(code).matches("[0-9A-Za-z]{16}");
            codes.add(code);
        }
        assertThat(codes).hasSize(10_000);
    }

    @Test
    void aLinkToAnOfferTheTenantDoesNotHaveNamesTheField() {
        existing.remove("off_1");
        fixture.givenNoPriorActivity()
                .when(new CreateLinkCommand("lnk_1", TENANT, CODE, PLAIN))
                .expectException(InvalidConfigurationException.class)
                .expectExceptionMessage("offerIds 'off_1' does not exist")
                .expectNoEvents();
    }
}
