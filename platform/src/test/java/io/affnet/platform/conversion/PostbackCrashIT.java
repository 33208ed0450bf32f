package io.affnet.platform.conversion;

import io.affnet.platform.support.ChildPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "accepted" is a promise that the conversion exists, and a repeat must never credit it twice. This
 * test posts back for real clicks from several client threads into the platform running as a separate
 * JVM, SIGKILLs it mid-load, starts it again, checks that every postback answered "accepted" has its
 * ConversionRecordedEvent, then re-sends every postback that was sent (answered or not) and checks that
 * none is credited twice and that the unanswered ones are now answered.
 */
class PostbackCrashIT {

    private static final String RECORDED = "io.affnet.api.conversion.ConversionRecordedEvent";
    private static final int CLIENTS = 8;
    private static final int CLICKS = 300;

    private record Postback(String clickId, String txn) {
    }

    private ChildPlatform platform;

    @AfterEach
    void killPlatforms() throws InterruptedException {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void everyAcceptedPostbackSurvivesSigkillAndNoneIsCreditedTwiceWhenAllAreResent() throws Exception {
        platform = new ChildPlatform("postback-crash");
        Process first = platform.start("first");
        ChildPlatform.Network network = platform.setUpNetwork("pbcrash");
        String token = network.token();
        List<String> clicks = clicks(network.code());

        // Two transactions per click: the second conversion on a click loads one that already has one.
        List<Postback> postbacks = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (String click : clicks) {
                postbacks.add(new Postback(click, "tx-" + round + "-" + click.substring(0, 8)));
            }
        }

        Map<Postback, String> answers = new ConcurrentHashMap<>();
        Set<Postback> sent = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> {
                while (!stop.get()) {
                    int i = next.getAndIncrement();
                    if (i >= postbacks.size()) {
                        return;
                    }
                    Postback p = postbacks.get(i);
                    sent.add(p);
                    try {
                        HttpResponse<String> r = postback(token, p);
                        if (r.statusCode() == 200) {
                            answers.put(p, r.body());
                        }
                    } catch (IOException e) {
                        // The platform is gone (expected after the kill): this one stays unanswered.
                        failures.incrementAndGet();
                        return;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        // Mid-load: a good share answered, clients still sending.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answers.size() < postbacks.size() / 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int answeredBeforeKill = answers.size();
        platform.kill(first);
        Thread.sleep(300);
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(20, TimeUnit.SECONDS)).isTrue();

        assertThat(answeredBeforeKill).as("postbacks answered before the kill").isGreaterThanOrEqualTo(50);
        assertThat(failures.get()).as("postbacks that failed once the platform was killed").isPositive();
        assertThat(new HashSet<>(answers.values())).as("answers before the kill").containsOnly("accepted");

        platform.start("restarted");

        Map<Postback, Integer> stored = conversions(sent);
        Set<Postback> missing = new HashSet<>(answers.keySet());
        missing.removeIf(p -> stored.getOrDefault(p, 0) > 0);
        assertThat(missing).as("answered 'accepted' (of %d) but without a ConversionRecordedEvent", answers.size()).isEmpty();

        // Every postback sent, answered or not, once more: nothing is credited twice.
        Map<Postback, String> again = new ConcurrentHashMap<>();
        ExecutorService resend = Executors.newFixedThreadPool(CLIENTS);
        List<Postback> all = new ArrayList<>(sent);
        for (Postback p : all) {
            resend.submit(() -> {
                HttpResponse<String> r = postback(token, p);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                again.put(p, r.body());
                return null;
            });
        }
        resend.shutdown();
        assertThat(resend.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again).hasSize(all.size());

        Map<String, Integer> unanswered = new HashMap<>();
        for (Postback p : all) {
            if (answers.containsKey(p)) {
                assertThat(again.get(p)).as("re-sent %s, answered 'accepted' before the kill", p).isEqualTo("duplicate");
            } else {
                assertThat(again.get(p)).as("re-sent %s, unanswered before the kill", p).isIn("accepted", "duplicate");
                unanswered.merge(again.get(p), 1, Integer::sum);
            }
        }
        Map<Postback, Integer> after = conversions(sent);
        Map<Postback, Integer> notOnce = new HashMap<>();
        for (Postback p : all) {
            if (after.getOrDefault(p, 0) != 1) {
                notOnce.put(p, after.getOrDefault(p, 0));
            }
        }
        assertThat(notOnce).as("(click, txn) pairs without exactly one ConversionRecordedEvent").isEmpty();

        System.out.printf("PostbackCrashIT: %d postbacks sent (%d answered 'accepted' when SIGKILL was sent, %d in all, "
                        + "%d in flight or refused after it); all accepted ones stored; re-sending all %d: %s for the unanswered, "
                        + "'duplicate' for the answered; exactly one conversion each%n",
                sent.size(), answeredBeforeKill, answers.size(), failures.get(), all.size(), unanswered);
    }

    // ------------------------------------------------------------------ traffic

    private List<String> clicks(String code) throws Exception {
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < CLICKS; i++) {
            pool.submit(() -> ids.add(platform.click(code)));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ids).hasSize(CLICKS);
        return ids;
    }

    private HttpResponse<String> postback(String token, Postback p) throws IOException, InterruptedException {
        return platform.postback(token, p.clickId(), p.txn());
    }

    /** How many ConversionRecordedEvents each (click, txn) has. */
    private static Map<Postback, Integer> conversions(Set<Postback> postbacks) throws Exception {
        Set<String> clickIds = new HashSet<>();
        postbacks.forEach(p -> clickIds.add(p.clickId()));
        Map<Postback, Integer> counts = new HashMap<>();
        try (Connection db = ChildPlatform.database();
             PreparedStatement q = db.prepareStatement("""
                     SELECT aggregateidentifier, convert_from(payload, 'UTF8')::jsonb ->> 'transactionId'
                     FROM domainevententry WHERE payloadtype = ? AND aggregateidentifier = ANY (?)""")) {
            q.setString(1, RECORDED);
            q.setArray(2, db.createArrayOf("varchar", clickIds.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    counts.merge(new Postback(rs.getString(1), rs.getString(2)), 1, Integer::sum);
                }
            }
        }
        return counts;
    }
}
