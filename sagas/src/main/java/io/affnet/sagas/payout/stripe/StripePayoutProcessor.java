package io.affnet.sagas.payout.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeCollection;
import com.stripe.model.Transfer;
import com.stripe.net.RequestOptions;
import com.stripe.param.TransferCreateParams;
import com.stripe.param.TransferListParams;
import io.affnet.api.common.Money;
import io.affnet.sagas.payout.processor.PayoutInstruction;
import io.affnet.sagas.payout.processor.PayoutKeys;
import io.affnet.sagas.payout.processor.PayoutProcessor;
import io.affnet.sagas.payout.processor.ProcessorAccount;
import io.affnet.sagas.payout.processor.ProcessorExponent;
import io.affnet.sagas.payout.processor.ProcessorName;
import io.affnet.sagas.payout.processor.ProcessorPayout;
import io.affnet.sagas.payout.processor.ProcessorStatus;
import io.affnet.sagas.payout.processor.SubmitOutcome;
import io.affnet.sagas.payout.processor.ProcessorUnavailable;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Pays affiliates with Stripe Connect transfers through stripe-java: {@code POST /v1/transfers} to the
 * connected account, with the {@code transfer_group} and {@code Idempotency-Key} of {@link PayoutKeys};
 * {@link #find} lists transfers by that group, so a payout is adopted rather than sent twice even after
 * Stripe has pruned the key (24 h). Retries inside one call are stripe-java's own (same key, connect
 * errors, 409 and 5xx; {@code Stripe-Should-Retry} obeyed), capped by {@code maxNetworkRetries}.
 */
public final class StripePayoutProcessor implements PayoutProcessor {

    /** The connection settings every client is built with. */
    public record Settings(Duration connectTimeout, Duration readTimeout, int maxNetworkRetries) {
    }

    private final Settings settings;
    private final ConcurrentMap<ProcessorAccount, StripeClient> clients = new ConcurrentHashMap<>();

    public StripePayoutProcessor(Settings settings) {
        this.settings = settings;
    }

    @Override
    public ProcessorName name() {
        return ProcessorName.STRIPE;
    }

    @Override
    public Optional<String> refusal(String country, String currency) {
        return StripeCurrencies.refusal(country, currency);
    }

    @Override
    public SubmitOutcome submit(PayoutInstruction instruction) {
        Money amount = instruction.amount();
        Optional<String> refused = StripeCurrencies.currencyRefusal(amount.currency());
        if (refused.isPresent()) {
            return new SubmitOutcome.Rejected("currency_unsupported", refused.get());
        }
        Optional<Long> units = StripeCurrencies.exponent(amount.currency()).toProcessorUnits(amount.minor());
        if (units.isEmpty()) {
            return new SubmitOutcome.Rejected("amount_not_representable", "Stripe cannot transfer " + amount.minor()
                    + " minor units of " + amount.currency() + " exactly");
        }
        if (!instruction.destination().startsWith("acct_")) {
            return new SubmitOutcome.Rejected("invalid_destination", "a Stripe destination is a connected account id (acct_...)");
        }
        String group = group(instruction);
        TransferCreateParams params = TransferCreateParams.builder()
                .setAmount(units.get())
                .setCurrency(amount.currency().toLowerCase(Locale.ROOT))
                .setDestination(instruction.destination())
                .setTransferGroup(group)
                .putMetadata("affnet_payout_id", instruction.payoutId())
                .build();
        RequestOptions options = RequestOptions.builder()
                .setIdempotencyKey(PayoutKeys.stripeIdempotencyKey(instruction.tenantId(), instruction.payoutId()))
                .build();
        try {
            Transfer t = client(instruction.account()).v1().transfers().create(params, options);
            return new SubmitOutcome.Accepted(toPayout(t));
        } catch (StripeException e) {
            return outcome(e);
        }
    }

    @Override
    public Optional<ProcessorPayout> find(PayoutInstruction instruction) {
        TransferListParams params = TransferListParams.builder()
                .setTransferGroup(group(instruction))
                .setDestination(instruction.destination())
                .setLimit(10L)
                .build();
        try {
            StripeCollection<Transfer> page = client(instruction.account()).v1().transfers().list(params);
            List<Transfer> found = page.getData();
            if (found.size() > 1) {
                // Two transfers for one payout would be a double payment; report it loudly rather than pick one.
                throw new IllegalStateException("Stripe holds " + found.size() + " transfers for payout " + instruction.payoutId()
                        + " (transfer_group " + group(instruction) + ")");
            }
            return found.stream().findFirst().map(this::toPayout);
        } catch (StripeException e) {
            throw new ProcessorUnavailable("Stripe list transfers failed: " + describe(e), e);
        }
    }

    @Override
    public ProcessorPayout fetch(PayoutInstruction instruction, String processorReference) {
        try {
            return toPayout(client(instruction.account()).v1().transfers().retrieve(processorReference));
        } catch (StripeException e) {
            throw new ProcessorUnavailable("Stripe retrieve transfer failed: " + describe(e), e);
        }
    }

    /**
     * Stripe keeps an idempotency key at least 24 hours and replays the first answer to it, including a 500
     * (docs/payout-processors.md): a second create with the payout's key within that time returns the first
     * transfer, it never makes a second one.
     */
    @Override
    public Duration replayWindow() {
        return Duration.ofHours(24);
    }

    /** The transfer_group of a payout (what {@link #find} lists by). */
    public static String group(PayoutInstruction instruction) {
        return PayoutKeys.stripeTransferGroup(instruction.tenantId(), instruction.payoutId());
    }

    private StripeClient client(ProcessorAccount account) {
        return clients.computeIfAbsent(account, a -> StripeClient.builder()
                .setApiKey(a.key())
                .setApiBase(a.apiBase())
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setReadTimeout((int) settings.readTimeout().toMillis())
                .setMaxNetworkRetries(settings.maxNetworkRetries())
                .build());
    }

    private ProcessorPayout toPayout(Transfer t) {
        String currency = t.getCurrency().toUpperCase(Locale.ROOT);
        ProcessorExponent exp = StripeCurrencies.exponent(currency);
        long minor = exp.toIsoMinor(t.getAmount()).orElseThrow(() -> new IllegalStateException(
                "Stripe transfer " + t.getId() + " has an amount " + t.getAmount() + " " + currency + " that is no ledger amount"));
        ProcessorStatus status = Boolean.TRUE.equals(t.getReversed()) || (t.getAmountReversed() != null && t.getAmountReversed() > 0)
                ? ProcessorStatus.REVERSED : ProcessorStatus.PAID;
        return new ProcessorPayout(t.getId(), t.getTransferGroup(), status, new Money(minor, currency), t.getDestination());
    }

    static SubmitOutcome outcome(StripeException e) {
        Integer status = e.getStatusCode();
        String code = e.getCode();
        if (e instanceof ApiConnectionException) {
            return new SubmitOutcome.Ambiguous("no answer from Stripe: " + describe(e));
        }
        if (status != null && status == 429) {
            boolean shouldRetry = "true".equalsIgnoreCase(header(e, "Stripe-Should-Retry"));
            return new SubmitOutcome.RetryLater(shouldRetry ? Duration.ofSeconds(1) : Duration.ofSeconds(5), "rate limited: " + describe(e));
        }
        if (status != null && status == 409) {
            return new SubmitOutcome.RetryLater(Duration.ofSeconds(1), "in progress or conflicting: " + describe(e));
        }
        if (status == null || status >= 500) {
            return new SubmitOutcome.Ambiguous("Stripe answered " + status + ": " + describe(e));
        }
        if (e instanceof IdempotencyException) {
            // The same key with other parameters: a bug on our side, never a reason to send a second payment.
            return new SubmitOutcome.Rejected("idempotency_error", describe(e));
        }
        String param = e.getStripeError() == null ? null : e.getStripeError().getParam();
        if ("destination".equals(param)) {
            return new SubmitOutcome.Rejected("invalid_destination", describe(e));
        }
        return new SubmitOutcome.Rejected(code == null ? "stripe_" + status : code, describe(e));
    }

    private static String header(StripeException e, String name) {
        if (e.getStripeError() == null || e.getStripeError().getLastResponse() == null) {
            return null;
        }
        return e.getStripeError().getLastResponse().headers().firstValue(name).orElse(null);
    }

    private static String describe(StripeException e) {
        // StripeException's message carries no secret (request id, code, message only).
        return e.getClass().getSimpleName() + " " + e.getStatusCode() + " " + e.getCode() + ": " + e.getMessage();
    }
}
