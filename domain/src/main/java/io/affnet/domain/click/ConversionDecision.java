package io.affnet.domain.click;

import io.affnet.api.common.Money;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.RejectionReason;

/** What a click decides about a reported conversion, before it is applied. */
public sealed interface ConversionDecision {

    /** Credit a new conversion. {@code capKeysDay} etc. are for the intake to claim cap slots first. */
    record Record(String goal, String transactionId, ConversionStatus status, Money revenue, Money payout,
                  Money sale, Money originalSale, String flagged) implements ConversionDecision {
    }

    /** An already credited conversion moves on. */
    record ChangeStatus(String conversionId, ConversionStatus from, ConversionStatus to) implements ConversionDecision {
    }

    /** The same report again: nothing changes. */
    record Duplicate(String conversionId) implements ConversionDecision {
    }

    record Reject(RejectionReason reason, String goal) implements ConversionDecision {
    }
}
