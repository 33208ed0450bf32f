package io.affnet.domain.ledger;

/**
 * A deadline payload that names its own schedule: the platform's deadline manager stores it under {@link #deadlineKey()}
 * instead of a random id and writes it only if no deadline of that key is waiting, so two schedulings of the same
 * key (two steps of one ledger's hold chain aiming at the same moment) leave one deadline.
 */
public interface KeyedDeadline {

    /** Unique per deadline name, scope and moment. */
    String deadlineKey();
}
