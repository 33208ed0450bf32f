package io.affnet.sagas.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.CommandRejection;
import io.affnet.api.common.TenantId;
import io.affnet.api.outbound.RedeliverPostbacksCommand;
import io.affnet.api.outbound.PostbackTestFires;
import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostbackDeliveryActionsTest {

    static final TenantId TENANT = new TenantId("t_1");

    /** The outbox as these commands see it: delivery states by id, endpoints by affiliate, redeliveries asked for. */
    static final class Outbox extends DeliveryStore {
        final Map<String, String> states;
        final Map<String, Endpoint> endpoints;
        final List<String> redelivered = new ArrayList<>();

        Outbox(Map<String, String> states, Map<String, Endpoint> endpoints) {
            super(null, null);
            this.states = states;
            this.endpoints = endpoints;
        }

        @Override
        public String stateOf(TenantId tenantId, String affiliateId, String deliveryId) {
            return TENANT.equals(tenantId) ? states.get(affiliateId + "/" + deliveryId) : null;
        }

        @Override
        public Endpoint endpoint(TenantId tenantId, String affiliateId) {
            return TENANT.equals(tenantId) ? endpoints.get(affiliateId) : null;
        }

        @Override
        public int redeliverDead(TenantId tenantId, String affiliateId, String deliveryId) {
            redelivered.add(affiliateId + "/" + deliveryId);
            return deliveryId == null ? 3 : 1;
        }
    }

    private static PostbackDeliveryActions actions(Outbox outbox) {
        OutboundProperties properties = new OutboundProperties("a-sealing-key-of-16+", true, Duration.ofSeconds(10), 5,
                Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(30), 10, false,
                Duration.ofMillis(250), 100, 32, 50, 2, null, Duration.ofSeconds(60));
        return new PostbackDeliveryActions(outbox, null, new DeliverySignal(), new ObjectMapper(), properties);
    }

    @Test
    void redeliversADeadLetterAndAllOfAnAffiliatesDeadLetters() {
        Outbox outbox = new Outbox(Map.of("aff_1/dlv_1", "DEAD"), Map.of("aff_1", new DeliveryStore.Endpoint("[]", "sealed")));
        assertThat(actions(outbox).handle(new RedeliverPostbacksCommand(TENANT, "aff_1", "dlv_1"))).isEqualTo(1);
        assertThat(actions(outbox).handle(new RedeliverPostbacksCommand(TENANT, "aff_1", null))).isEqualTo(3);
        assertThat(outbox.redelivered).containsExactly("aff_1/dlv_1", "aff_1/null");
    }

    @Test
    void refusesToRedeliverWhatIsNotDeadLetteredOrNotTheCallers() {
        Outbox outbox = new Outbox(Map.of("aff_1/dlv_1", "PENDING"), Map.of());
        assertThat(rejection(() -> actions(outbox).handle(new RedeliverPostbacksCommand(TENANT, "aff_1", "dlv_1"))))
                .isEqualTo(CommandRejection.conflict("not-dead-lettered",
                        "Only a dead-lettered delivery can be redelivered; this one is PENDING."));
        assertThat(rejection(() -> actions(outbox).handle(new RedeliverPostbacksCommand(new TenantId("t_2"), "aff_1", "dlv_1"))))
                .isEqualTo(CommandRejection.notFound("Postback delivery"));
        assertThat(rejection(() -> actions(outbox).handle(new RedeliverPostbacksCommand(TENANT, "aff_1", null))))
                .isEqualTo(CommandRejection.notFound("Postback endpoint"));
        assertThat(outbox.redelivered).isEmpty();
    }

    @Test
    void refusesToTestFireWithoutAMatchingTemplate() {
        Outbox outbox = new Outbox(Map.of(), Map.of("aff_1", new DeliveryStore.Endpoint(
                "[{\"offerId\":\"off_1\",\"method\":\"GET\",\"url\":\"https://tracker.example/pb\"}]", "sealed")));
        assertThat(rejection(() -> actions(outbox).fire(TENANT, "aff_1", "off_2", "sale")))
                .isEqualTo(CommandRejection.conflict("no-postback-template", "No template of this affiliate matches offer off_2 goal sale."));
        assertThat(rejection(() -> actions(outbox).fire(TENANT, "aff_9", null, null)))
                .isEqualTo(CommandRejection.notFound("Postback endpoint"));
    }

    private static Object rejection(ThrowingCall call) {
        try {
            call.run();
        } catch (CommandExecutionException e) {
            return e.getDetails().orElse(null);
        } catch (PostbackTestFires.Refused e) {
            return e.rejection();
        } catch (Exception e) {
            throw new AssertionError("expected a command rejection", e);
        }
        throw new AssertionError("expected a command rejection");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }
}
