package io.affnet.platform.payout;

import org.axonframework.messaging.ScopeDescriptor;

import java.util.UUID;

/**
 * A deadline scope no component resolves: a deadline scheduled for it would do nothing if it ran. The deadline
 * tests schedule them hours away and look only at the db-scheduler table.
 */
record UnresolvedScope(String id) implements ScopeDescriptor {

    static UnresolvedScope fresh(String test) {
        return new UnresolvedScope(test + " " + UUID.randomUUID());
    }

    @Override
    public String scopeDescription() {
        return id;
    }
}
