package io.affnet.api.common;

/**
 * Why a command was refused, as the details of its failure: a plain value, so it travels over a
 * distributed command bus too. The HTTP edge turns it into a problem document; command handlers never
 * build HTTP objects.
 *
 * @param type   a stable name of the refusal ({@code validation}, {@code not-found}, {@code duplicate-slug}, ...)
 * @param field  for {@link Kind#INVALID}: the request field to fix
 */
public record CommandRejection(Kind kind, String type, String field, String detail) {

    public enum Kind {
        /** The request broke a rule; {@code field} names the value to fix. */
        INVALID,
        /** What the command names does not exist for the caller (another tenant's id included). */
        NOT_FOUND,
        /** The request clashes with what exists (a taken slug or code). */
        CONFLICT
    }

    public static CommandRejection invalid(String field, String detail) {
        return new CommandRejection(Kind.INVALID, "validation", field, detail);
    }

    public static CommandRejection notFound(String what) {
        return new CommandRejection(Kind.NOT_FOUND, "not-found", null, what + " not found");
    }

    public static CommandRejection conflict(String type, String detail) {
        return new CommandRejection(Kind.CONFLICT, type, null, detail);
    }
}
