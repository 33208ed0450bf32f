package io.affnet.api.click;

/** What the visitor was sent to. */
public enum ClickOutcome {
    /** To the offer's destination. */
    OFFER,
    /** To the offer's fallback URL, for {@link ClickRecordedEvent#fallbackReason()}. */
    FALLBACK,
    /** To a 404 page: the offer could not take the click and has no fallback URL. */
    NOT_SERVED
}
