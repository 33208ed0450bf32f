package io.affnet.command.postback;

import io.affnet.api.common.Cidr;
import io.affnet.web.problem.ApiProblem;
import org.axonframework.commandhandling.CommandExecutionException;
import org.springframework.http.HttpStatus;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.conversion.ConversionInput;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ExchangeRate;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.conversion.RecordConversionCommand;
import io.affnet.api.conversion.RejectionReason;
import io.affnet.command.click.ClickConfigCache;
import io.affnet.command.click.ClickIds;
import io.affnet.domain.click.Click;
import io.affnet.domain.click.ConversionDecision;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Records a reported conversion on its click, in one transaction: the click decides (window, goal,
 * duplicate, fraud, money); a new conversion then claims its advertiser transaction id across all
 * clicks and its cap slots; and the outcome is appended. Everything either commits together or not
 * at all, so a postback sent twenty times at once credits exactly one conversion.
 */
@Component
public class ConversionHandler {

    private final Repository<Click> clicks;
    private final JdbcTemplate jdbc;
    private final CapLedger caps;
    private final ExchangeRates rates;
    private final ClickConfigCache config;
    private final StringRedisTemplate redis;
    private final EventBus eventBus;
    private final PostbackCredentials credentials;

    public ConversionHandler(Repository<Click> clicks, JdbcTemplate jdbc, CapLedger caps, ExchangeRates rates,
                             ClickConfigCache config, StringRedisTemplate redis, EventBus eventBus,
                             PostbackCredentials credentials) {
        this.credentials = credentials;
        this.clicks = clicks;
        this.jdbc = jdbc;
        this.caps = caps;
        this.rates = rates;
        this.config = config;
        this.redis = redis;
        this.eventBus = eventBus;
    }

    @CommandHandler
    public PostbackOutcome handle(RecordConversionCommand command) throws Exception {
        ConversionInput input = command.input();
        if (!ClickIds.looksValid(command.clickId())) {
            return unknownClick(command);
        }
        Aggregate<Click> aggregate;
        try {
            aggregate = clicks.load(command.clickId());
        } catch (AggregateNotFoundException e) {
            return unknownClick(command);
        }
        Click click = aggregate.invoke(c -> c);
        if (command.tenantId() != null && !command.tenantId().equals(click.tenantId())
                || command.expectedOfferId() != null && !command.expectedOfferId().equals(click.offerId())) {
            // Another tenant's click answers exactly like one that does not exist.
            return unknownClick(command);
        }
        String tenantId = click.tenantId().value();
        if (config.tenant(tenantId).map(t -> !t.active()).orElse(false)) {
            throw new CommandExecutionException("tenant suspended", null, tenantSuspended());
        }
        if (command.senderIp() != null && click.terms() != null) {
            List<Cidr> allowed = credentials.allowlist(tenantId, click.terms().advertiserId());
            if (!allowed.isEmpty() && allowed.stream().noneMatch(range -> range.contains(command.senderIp()))) {
                redis.opsForValue().increment("affnet:t:" + tenantId + ":postback:forbidden");
                throw new CommandExecutionException("sender not allowed", null, new ApiProblem(HttpStatus.FORBIDDEN,
                        "postback-ip-not-allowed", "Postbacks for this offer are not accepted from this address."));
            }
        }
        ExchangeRate rate = null;
        if (input.saleAmount() != null && input.saleCurrency() != null && click.offerCurrency() != null
                && !input.saleCurrency().equals(click.offerCurrency())) {
            rate = rates.rate(input.saleCurrency(), click.offerCurrency()).orElse(null);
        }
        String affiliateEmailHash = config.affiliate(tenantId, click.affiliateId())
                .map(CachedAffiliate::profile).map(p -> emailHash(p.email())).orElse(null);
        FraudRules fraud = command.fraudRules() != null ? command.fraudRules() : credentials.settings(tenantId).fraud();
        ConversionDecision decision = click.decide(input, fraud, rate, affiliateEmailHash);

        String conversionId = command.conversionId();
        if (decision instanceof ConversionDecision.Record record) {
            if (record.transactionId() != null) {
                int claimed = jdbc.update("""
                                INSERT INTO conversion_txn (tenant_id, offer_id, goal, transaction_id, click_id, conversion_id)
                                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                        tenantId, click.offerId(), record.goal(), record.transactionId(), command.clickId(), conversionId);
                if (claimed == 0) {
                    decision = new ConversionDecision.Duplicate(null, record.goal());
                }
            }
            if (decision instanceof ConversionDecision.Record) {
                String zone = config.tenant(tenantId).map(ClickConfigCache.TenantState::timezone).orElse("UTC");
                Map<String, Long> limits = CapLedger.counters(tenantId, click.offerId(), click.affiliateId(),
                        click.terms().caps(), input.receivedAt().atZone(zone(zone)).toLocalDate());
                Map<String, Long> counts = caps.claim(limits);
                if (counts == null) {
                    decision = new ConversionDecision.Reject(RejectionReason.CAP_REACHED, record.goal());
                    // A capped conversion is not credited, so its transaction id stays free for a later report.
                    jdbc.update("DELETE FROM conversion_txn WHERE tenant_id = ? AND offer_id = ? AND goal = ? AND conversion_id = ?",
                            tenantId, click.offerId(), record.goal(), conversionId);
                } else if (!counts.isEmpty()) {
                    mirrorToRedisAfterCommit(counts);
                }
            }
        }
        ConversionDecision finalDecision = decision;
        ExchangeRate usedRate = rate;
        aggregate.execute(c -> c.enact(finalDecision, conversionId, input, usedRate));
        return outcome(finalDecision, conversionId);
    }

    /** A suspended tenant's postbacks and pixels are refused; nothing is recorded. */
    public static ApiProblem tenantSuspended() {
        return new ApiProblem(org.springframework.http.HttpStatus.FORBIDDEN, "tenant-suspended",
                "The tenant is suspended; its conversions are not accepted.");
    }

    private PostbackOutcome unknownClick(RecordConversionCommand command) {
        if (command.tenantId() != null) {
            ConversionInput input = command.input();
            eventBus.publish(GenericEventMessage.asEventMessage(new ConversionRejectedEvent(command.tenantId(),
                    command.clickId(), null, null, input.goal(), input.transactionId(), RejectionReason.UNKNOWN_CLICK,
                    input.receivedAt(), input.channel())).andMetaData(MetaData.with("tenantId", command.tenantId().value())));
        }
        return PostbackOutcome.rejected(RejectionReason.UNKNOWN_CLICK);
    }

    /**
     * Counters only grow, so the mirror only ever raises a key: after-commit callbacks of one batch run in
     * reverse order and other nodes' mirrors interleave, and neither may lower a count already written.
     */
    private static final RedisScript<Long> RAISE = new DefaultRedisScript<>("""
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local next = tonumber(ARGV[1])
            if next > current then redis.call('SET', KEYS[1], ARGV[1]) return next end
            return current""", Long.class);

    private void mirrorToRedisAfterCommit(Map<String, Long> counts) {
        Runnable mirror = () -> counts.forEach((key, count) -> redis.execute(RAISE, List.of(key), Long.toString(count)));
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(uow -> {
                try {
                    mirror.run();
                } catch (RuntimeException ignored) {
                    // Redis only steers clicks early; the exact counter in PostgreSQL still holds the cap.
                }
            });
        }
    }

    private static PostbackOutcome outcome(ConversionDecision decision, String conversionId) {
        if (decision instanceof ConversionDecision.Record) {
            return PostbackOutcome.accepted(conversionId);
        }
        if (decision instanceof ConversionDecision.ChangeStatus change) {
            return PostbackOutcome.accepted(change.conversionId());
        }
        if (decision instanceof ConversionDecision.Duplicate) {
            return PostbackOutcome.duplicate();
        }
        return PostbackOutcome.rejected(((ConversionDecision.Reject) decision).reason());
    }

    static String emailHash(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }
}
