package io.affnet.command.postback;

import io.affnet.api.conversion.RejectionReason;

/** What a postback achieved, as the advertiser is told: {@code accepted}, {@code duplicate} or {@code rejected:<reason>}. */
public record PostbackOutcome(String answer, String conversionId) {

    public static PostbackOutcome accepted(String conversionId) {
        return new PostbackOutcome("accepted", conversionId);
    }

    public static PostbackOutcome duplicate() {
        return new PostbackOutcome("duplicate", null);
    }

    public static PostbackOutcome rejected(RejectionReason reason) {
        return reason == RejectionReason.DUPLICATE_TRANSACTION ? duplicate()
                : new PostbackOutcome("rejected:" + reason.code(), null);
    }
}
