package io.affnet.domain.click;

/**
 * A moderation the click refuses; nothing is appended. The HTTP edge turns each kind into its problem
 * document: an unknown conversion (or one the moderator may not see) is a 404, a bad value a 400 naming
 * the field, a status that cannot move that way a 409.
 */
public abstract sealed class ModerationRefusedException extends RuntimeException
        permits ModerationRefusedException.UnknownConversion, ModerationRefusedException.Invalid,
        ModerationRefusedException.NotAllowed {

    private ModerationRefusedException(String message) {
        super(message, null, false, false);
    }

    /** No such conversion on this click for this moderator (another tenant's or advertiser's included). */
    public static final class UnknownConversion extends ModerationRefusedException {
        public UnknownConversion(String conversionId) {
            super("conversion " + conversionId);
        }
    }

    /** A value of the request breaks a rule; {@code field} names it. */
    public static final class Invalid extends ModerationRefusedException {
        private final String field;

        public Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The conversion's status does not allow this action (e.g. approving a rejected one). */
    public static final class NotAllowed extends ModerationRefusedException {
        public NotAllowed(String message) {
            super(message);
        }
    }
}
