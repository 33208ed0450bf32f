package io.affnet.command.postback;

import org.axonframework.eventsourcing.eventstore.DomainEventStream;

import java.util.Collection;

/**
 * Reads the events of all clicks a batch of conversions needs at once, instead of one read per click as
 * the repository would. The batch's writer thread prefetches ({@link #load}), the click repository takes
 * each click's events from here once ({@link #take}), and anything not prefetched is read as usual. How
 * is the event store's business: the platform's store configuration provides it (or nothing, for an
 * event store without a batch read).
 */
public interface ClickPrefetch {

    /** Reads the events of these clicks for this thread, until {@link #clear()}. */
    void load(Collection<String> clickIds);

    /**
     * The click's prefetched events (an empty stream for a click that does not exist), once; null when it
     * was not prefetched on this thread.
     */
    DomainEventStream take(String clickId);

    void clear();

    /** No batch read: every click is read through the event store's API. */
    ClickPrefetch NONE = new ClickPrefetch() {
        @Override
        public void load(Collection<String> clickIds) {
        }

        @Override
        public DomainEventStream take(String clickId) {
            return null;
        }

        @Override
        public void clear() {
        }
    };
}
