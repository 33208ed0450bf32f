package io.affnet.sagas.payout.paypal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.common.Money;
import io.affnet.sagas.payout.processor.PayoutInstruction;
import io.affnet.sagas.payout.processor.PayoutKeys;
import io.affnet.sagas.payout.processor.PayoutProcessor;
import io.affnet.sagas.payout.processor.ProcessorName;
import io.affnet.sagas.payout.processor.ProcessorPayout;
import io.affnet.sagas.payout.processor.ProcessorStatus;
import io.affnet.sagas.payout.processor.ProcessorUnavailable;
import io.affnet.sagas.payout.processor.SubmitOutcome;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Pays affiliates with PayPal Payouts: one payout per batch, {@code sender_batch_id} and
 * {@code sender_item_id} from {@link PayoutKeys}. PayPal refuses a reused {@code sender_batch_id} for 30
 * days with a 400 that links the original batch; {@link #submit} adopts that batch, so resubmitting is
 * PayPal's own lookup within those 30 days: there is no search by {@code sender_batch_id}. So {@link #find}
 * reads the batch the saga stored ({@link PayoutInstruction#knownReference}, the {@code payout_batch_id}
 * of an earlier answer) and answers empty (resubmit) only when nothing was stored: what makes it safe past
 * the 30 days, when a resubmitted {@code sender_batch_id} would be a new batch. The item's
 * {@code transaction_status} decides, not the batch's.
 */
public final class PayPalPayoutProcessor implements PayoutProcessor {

    static final String DUPLICATE_ISSUE = "Batch with given sender_batch_id already exists";

    private final PayPalClient client;
    private final ObjectMapper json;

    public PayPalPayoutProcessor(PayPalClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    @Override
    public ProcessorName name() {
        return ProcessorName.PAYPAL;
    }

    @Override
    public Optional<String> refusal(String country, String currency) {
        return PayPalCurrencies.refusal(country, currency);
    }

    @Override
    public SubmitOutcome submit(PayoutInstruction instruction) {
        Money amount = instruction.amount();
        Optional<String> refused = PayPalCurrencies.currencyRefusal(amount.currency());
        if (refused.isPresent()) {
            return new SubmitOutcome.Rejected("currency_unsupported", refused.get());
        }
        Optional<String> value = PayPalCurrencies.exponent(amount.currency()).toDecimalString(amount.minor());
        if (value.isEmpty()) {
            return new SubmitOutcome.Rejected("amount_not_representable", "PayPal cannot pay " + amount.minor()
                    + " minor units of " + amount.currency() + " exactly (no decimals in " + amount.currency() + " at PayPal)");
        }
        String recipientType = instruction.recipientType() == null ? "EMAIL" : instruction.recipientType();
        if (!recipientType.equals("EMAIL") && !recipientType.equals("PAYPAL_ID")) {
            return new SubmitOutcome.Rejected("invalid_destination", "a PayPal recipient is an EMAIL or a PAYPAL_ID");
        }
        String senderBatchId = PayoutKeys.paypalSenderBatchId(instruction.tenantId(), instruction.payoutId());
        ObjectNode request = json.createObjectNode();
        ObjectNode header = request.putObject("sender_batch_header");
        header.put("sender_batch_id", senderBatchId);
        header.put("recipient_type", recipientType);
        header.put("email_subject", "You have a payout");
        ObjectNode item = request.putArray("items").addObject();
        item.put("recipient_type", recipientType);
        ObjectNode money = item.putObject("amount");
        money.put("value", value.get());
        money.put("currency", amount.currency());
        item.put("receiver", instruction.destination());
        item.put("sender_item_id", PayoutKeys.paypalSenderItemId(instruction.tenantId(), instruction.payoutId()));
        item.put("note", "Payout " + instruction.payoutId());
        PayPalClient.Answer answer;
        try {
            answer = client.createBatch(instruction.account(), request, senderBatchId);
        } catch (PayPalClient.PayPalAuthenticationFailed e) {
            return new SubmitOutcome.Rejected("paypal_authentication", e.getMessage());
        } catch (IOException e) {
            return new SubmitOutcome.Ambiguous("no answer from PayPal: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SubmitOutcome.Ambiguous("interrupted while PayPal was asked");
        }
        int status = answer.status();
        if (status == 201 || status == 200) {
            String batchId = answer.body().path("batch_header").path("payout_batch_id").asText(null);
            return adopt(instruction, batchId);
        }
        JsonNode body = answer.body();
        String name = body.path("name").asText("");
        if (status == 400 && name.equals("USER_BUSINESS_ERROR") && isDuplicate(body)) {
            String batchId = duplicateBatchId(body);
            if (batchId == null) {
                return new SubmitOutcome.Ambiguous("PayPal reported a duplicate batch without a link to it");
            }
            return adopt(instruction, batchId);
        }
        if (status == 429) {
            return new SubmitOutcome.RetryLater(Duration.ofSeconds(2), "PayPal rate limit: " + name);
        }
        if (status >= 500 || status == 408) {
            return new SubmitOutcome.Ambiguous("PayPal answered " + status + " " + name);
        }
        String issue = body.path("details").path(0).path("issue").asText(name);
        return new SubmitOutcome.Rejected(issue.isEmpty() ? "paypal_" + status : issue,
                "PayPal answered " + status + " " + name + ": " + body.path("message").asText(""));
    }

    @Override
    public Optional<ProcessorPayout> find(PayoutInstruction instruction) {
        return instruction.knownReference() == null ? Optional.empty()
                : Optional.of(fetch(instruction, instruction.knownReference()));
    }

    /** Reads an item by its {@code payout_item_id}, or the single item of a batch by its {@code payout_batch_id}. */
    @Override
    public ProcessorPayout fetch(PayoutInstruction instruction, String processorReference) {
        try {
            PayPalClient.Answer item = client.item(instruction.account(), processorReference);
            if (item.ok()) {
                return toPayout(item.body(), item.body().path("payout_batch_id").asText(null));
            }
            if (item.status() != 404) {
                throw new ProcessorUnavailable("PayPal item read answered " + item.status(), null);
            }
            PayPalClient.Answer batch = client.batch(instruction.account(), processorReference);
            if (!batch.ok()) {
                throw new ProcessorUnavailable("PayPal has no item or batch " + processorReference + " (" + batch.status() + ")", null);
            }
            return fromBatch(batch.body(), processorReference);
        } catch (IOException e) {
            throw new ProcessorUnavailable("PayPal could not be read: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessorUnavailable("interrupted while PayPal was read", e);
        }
    }

    private SubmitOutcome adopt(PayoutInstruction instruction, String batchId) {
        if (batchId == null) {
            return new SubmitOutcome.Ambiguous("PayPal accepted the batch without a payout_batch_id");
        }
        try {
            PayPalClient.Answer batch = client.batch(instruction.account(), batchId);
            if (!batch.ok()) {
                // Accepted but not yet readable: the batch id is enough to fetch it later.
                return new SubmitOutcome.Accepted(new ProcessorPayout(null, batchId, ProcessorStatus.PENDING, instruction.amount(),
                        instruction.destination()));
            }
            ProcessorPayout payout = fromBatch(batch.body(), batchId);
            if (!instruction.amount().equals(payout.amount()) || !instruction.destination().equalsIgnoreCase(String.valueOf(payout.destination()))) {
                return new SubmitOutcome.Rejected("duplicate_batch_mismatch", "PayPal batch " + batchId
                        + " for this payout holds another amount or receiver");
            }
            return new SubmitOutcome.Accepted(payout);
        } catch (IOException e) {
            return new SubmitOutcome.Accepted(new ProcessorPayout(null, batchId, ProcessorStatus.PENDING, instruction.amount(),
                    instruction.destination()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SubmitOutcome.Accepted(new ProcessorPayout(null, batchId, ProcessorStatus.PENDING, instruction.amount(),
                    instruction.destination()));
        }
    }

    private ProcessorPayout fromBatch(JsonNode batch, String batchId) {
        JsonNode items = batch.path("items");
        if (!items.isArray() || items.isEmpty()) {
            String batchStatus = batch.path("batch_header").path("batch_status").asText("");
            ProcessorStatus s = batchStatus.equals("DENIED") || batchStatus.equals("CANCELED") ? ProcessorStatus.FAILED : ProcessorStatus.PENDING;
            JsonNode amount = batch.path("batch_header").path("amount");
            return new ProcessorPayout(null, batchId, s, money(amount), null);
        }
        return toPayout(items.get(0), batchId);
    }

    private static ProcessorPayout toPayout(JsonNode item, String batchId) {
        JsonNode detail = item.path("payout_item");
        return new ProcessorPayout(item.path("payout_item_id").asText(null), batchId,
                status(item.path("transaction_status").asText("PENDING")), money(detail.path("amount")),
                detail.path("receiver").asText(null));
    }

    private static Money money(JsonNode amount) {
        String currency = amount.path("currency").asText("").toUpperCase(Locale.ROOT);
        String value = amount.path("value").asText("");
        if (currency.isEmpty() || value.isEmpty()) {
            return null;
        }
        long minor = PayPalCurrencies.exponent(currency).fromDecimalString(value).orElseThrow(() ->
                new IllegalStateException("PayPal amount " + value + " " + currency + " is no ledger amount"));
        return new Money(minor, currency);
    }

    /** PayPal's item {@code transaction_status} as affnet's processor status. */
    public static ProcessorStatus status(String transactionStatus) {
        return switch (transactionStatus) {
            case "SUCCESS" -> ProcessorStatus.PAID;
            case "FAILED", "BLOCKED", "DENIED", "CANCELED" -> ProcessorStatus.FAILED;
            case "RETURNED", "REFUNDED" -> ProcessorStatus.RETURNED;
            case "REVERSED" -> ProcessorStatus.REVERSED;
            default -> ProcessorStatus.PENDING; // PENDING, ONHOLD, UNCLAIMED (until it expires and is RETURNED)
        };
    }

    private static boolean isDuplicate(JsonNode body) {
        for (JsonNode d : body.path("details")) {
            if (DUPLICATE_ISSUE.equalsIgnoreCase(d.path("issue").asText()) || "SENDER_BATCH_ID".equals(d.path("field").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String duplicateBatchId(JsonNode body) {
        for (JsonNode d : body.path("details")) {
            for (JsonNode l : d.path("link")) {
                String id = lastSegment(l.path("href").asText(""));
                if (id != null) {
                    return id;
                }
            }
        }
        for (JsonNode l : body.path("links")) {
            String id = lastSegment(l.path("href").asText(""));
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    private static String lastSegment(String href) {
        int q = href.indexOf('?');
        String path = q < 0 ? href : href.substring(0, q);
        int marker = path.indexOf("/v1/payments/payouts/");
        if (marker < 0) {
            return null;
        }
        String id = path.substring(marker + "/v1/payments/payouts/".length());
        return id.matches("[A-Za-z0-9]{1,30}") ? id : null;
    }
}
