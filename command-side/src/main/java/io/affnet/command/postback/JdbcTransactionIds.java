package io.affnet.command.postback;

import io.affnet.api.common.TenantId;
import io.affnet.domain.click.TransactionIds;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Transaction ids in {@code conversion_txn}, unique per (tenant, offer, goal, id). The insert runs in
 * the conversion's transaction: a concurrent claim of the same id waits for it and then finds it taken.
 * <p>
 * A conversion batch ({@link ConversionBatcher}) defers its claims ({@link #deferClaims}): a claim is then taken
 * in memory (the batch's second claim of an id is refused, as the second insert would be) and all of them are
 * inserted with one statement just before the batch commits ({@link #flushDeferred}), instead of one statement per
 * conversion. An id that turns out taken by a committed conversion outside the batch fails that statement
 * ({@link Taken}): the batch rolls back and is handled again with those ids known taken, so its conversions become
 * duplicates exactly as the immediate insert would have made them.
 */
public class JdbcTransactionIds implements TransactionIds {

    /** A deferred claim's key: tenant, offer, goal, transaction id. */
    record Key(String tenant, String offer, String goal, String transactionId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = tenant.compareTo(o.tenant);
            c = c != 0 ? c : offer.compareTo(o.offer);
            c = c != 0 ? c : goal.compareTo(o.goal);
            return c != 0 ? c : transactionId.compareTo(o.transactionId);
        }
    }

    /** Ids a deferred insert found held by another committed conversion: the batch must roll back. */
    public static final class Taken extends RuntimeException {
        private final transient Set<Key> keys;

        Taken(Set<Key> keys) {
            super(keys.size() + " transaction ids of the batch were claimed by other conversions meanwhile");
            this.keys = keys;
        }

        Set<Key> keys() {
            return keys;
        }
    }

    private static final class Deferred {
        /** Claims in key order (the insert takes the unique index's locks in that order). Value: click, conversion. */
        final Map<Key, String[]> claims = new TreeMap<>();
        final Set<Key> taken;

        Deferred(Set<Key> taken) {
            this.taken = taken;
        }
    }

    private static final ThreadLocal<Deferred> DEFERRED = new ThreadLocal<>();

    private final JdbcTemplate jdbc;

    public JdbcTransactionIds(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean claim(TenantId tenant, String offerId, String goal, String transactionId, String clickId,
                         String conversionId) {
        Deferred deferred = DEFERRED.get();
        if (deferred != null) {
            Key key = new Key(tenant.value(), offerId, goal, transactionId);
            if (deferred.taken.contains(key) || deferred.claims.containsKey(key)) {
                return false;
            }
            deferred.claims.put(key, new String[]{clickId, conversionId});
            return true;
        }
        return jdbc.update("""
                        INSERT INTO conversion_txn (tenant_id, offer_id, goal, transaction_id, click_id, conversion_id)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                tenant.value(), offerId, goal, transactionId, clickId, conversionId) == 1;
    }

    @Override
    public boolean claimed(TenantId tenant, String offerId, String goal, String transactionId) {
        Deferred deferred = DEFERRED.get();
        if (deferred != null) {
            Key key = new Key(tenant.value(), offerId, goal, transactionId);
            if (deferred.taken.contains(key) || deferred.claims.containsKey(key)) {
                return true;
            }
        }
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                        SELECT EXISTS (SELECT 1 FROM conversion_txn
                                       WHERE tenant_id = ? AND offer_id = ? AND goal = ? AND transaction_id = ?)""",
                Boolean.class, tenant.value(), offerId, goal, transactionId));
    }

    /**
     * From now on this thread's claims are deferred until {@link #flushDeferred}; {@code taken}: ids known to be held
     * by committed conversions (from a {@link Taken} of an earlier try of the same batch), refused at once.
     */
    void deferClaims(Collection<Key> taken) {
        DEFERRED.set(new Deferred(new HashSet<>(taken)));
    }

    /**
     * Inserts this thread's deferred claims with one statement, in the transaction about to commit; throws
     * {@link Taken} when any of them is held by another conversion (committed meanwhile: the insert waits for one
     * in flight), after which the transaction must roll back.
     */
    void flushDeferred() {
        Deferred deferred = DEFERRED.get();
        if (deferred == null || deferred.claims.isEmpty()) {
            return;
        }
        int n = deferred.claims.size();
        String[][] columns = new String[6][n];
        int i = 0;
        for (Map.Entry<Key, String[]> claim : deferred.claims.entrySet()) {
            Key key = claim.getKey();
            columns[0][i] = key.tenant();
            columns[1][i] = key.offer();
            columns[2][i] = key.goal();
            columns[3][i] = key.transactionId();
            columns[4][i] = claim.getValue()[0];
            columns[5][i] = claim.getValue()[1];
            i++;
        }
        Set<Key> inserted = new HashSet<>();
        // ORDER BY ord: the rows are inserted (and the index entries locked) in key order, so two batches claiming
        // some of the same ids wait for each other instead of deadlocking.
        jdbc.query("""
                        INSERT INTO conversion_txn (tenant_id, offer_id, goal, transaction_id, click_id, conversion_id)
                        SELECT t, o, g, x, c, v FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                                           ?::varchar[], ?::varchar[]) WITH ORDINALITY AS r(t, o, g, x, c, v, ord)
                        ORDER BY ord
                        ON CONFLICT DO NOTHING
                        RETURNING tenant_id, offer_id, goal, transaction_id""",
                rs -> {
                    inserted.add(new Key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }, (Object[]) columns);
        if (inserted.size() != n) {
            Set<Key> taken = new HashSet<>(deferred.claims.keySet());
            taken.removeAll(inserted);
            throw new Taken(taken);
        }
        deferred.claims.clear();
    }

    /** This thread's claims go to the database at once again; deferred ones not flushed are dropped. */
    void stopDeferring() {
        DEFERRED.remove();
    }

    /** The ids a {@link Taken} found held (for the next try of its batch). */
    static List<Key> takenBy(Taken taken) {
        return new ArrayList<>(taken.keys());
    }
}
