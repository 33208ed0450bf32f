package io.affnet.domain.click;

import io.affnet.api.conversion.ModerationAction;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The rules a moderation request meets before any conversion is looked at: an action, a reason for
 * everything but an approval (at most 500 characters), and for an adjustment a new payout or revenue that
 * is not negative. The click applies them again; the HTTP edge applies them first to refuse a bulk
 * request whole.
 */
public final class ModerationRequests {

    public static final int MAX_REASON = 500;

    private ModerationRequests() {
    }

    /** The stripped reason (null when none); throws {@link ModerationRefusedException.Invalid} for a broken rule. */
    public static String check(ModerationAction action, String reason, BigDecimal revenue, BigDecimal payout) {
        if (action == null) {
            throw new ModerationRefusedException.Invalid("action", "action must be one of APPROVE, REJECT, REVERSE, ADJUST");
        }
        String stripped = reason == null || reason.isBlank() ? null : reason.strip();
        if (stripped == null && action != ModerationAction.APPROVE) {
            throw new ModerationRefusedException.Invalid("reason", "a reason is required to " + action.name().toLowerCase(Locale.ROOT));
        }
        if (stripped != null && stripped.length() > MAX_REASON) {
            throw new ModerationRefusedException.Invalid("reason", "reason must be at most " + MAX_REASON + " characters");
        }
        if (action == ModerationAction.ADJUST) {
            if (revenue == null && payout == null) {
                throw new ModerationRefusedException.Invalid("payout", "an adjustment names a new payout or revenue");
            }
            notNegative("revenue", revenue);
            notNegative("payout", payout);
        } else if (revenue != null || payout != null) {
            throw new ModerationRefusedException.Invalid(payout != null ? "payout" : "revenue",
                    "amounts are changed by ADJUST only");
        }
        return stripped;
    }

    private static void notNegative(String field, BigDecimal value) {
        if (value != null && value.signum() < 0) {
            throw new ModerationRefusedException.Invalid(field, field + " must not be negative");
        }
    }
}
