package io.affnet.sagas.payout.processor;

/**
 * A processor could not be asked (no answer, 5xx, rate limit) while reading ({@code find}, {@code fetch}):
 * nothing is known, so the caller tries again later. Never means "the payout does not exist".
 */
public class ProcessorUnavailable extends RuntimeException {

    public ProcessorUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
