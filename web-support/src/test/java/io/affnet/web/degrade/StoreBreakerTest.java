package io.affnet.web.degrade;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class StoreBreakerTest {

    private final StoreBreaker breaker = new StoreBreaker("Store", 200, 2, 1);
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void close() {
        never.countDown();
        breaker.close();
    }

    private String hang() {
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "late";
    }

    @Test
    void answersWhileTheStoreAnswers() {
        assertThat(breaker.call(() -> "value")).contains("value");
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.fallbacks()).isZero();
    }

    @Test
    void aHungStoreCostsOneBoundedWaitThenNoneUntilTheProbeFindsItAgain() {
        long start = System.nanoTime();
        assertThat(breaker.call(this::hang)).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(180L, 3_000L);
        assertThat(breaker.isOpen()).isTrue();

        AtomicInteger asked = new AtomicInteger();
        start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            assertThat(breaker.call(asked::incrementAndGet)).isEmpty();
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no waits while open (1,000 bounded waits would be 200 s)").isLessThan(2_000);
        assertThat(asked).as("the store is not asked while the breaker is open").hasValue(0);
        assertThat(breaker.fallbacks()).isEqualTo(1_001);

        assertThat(breaker.probe(() -> { }, 500)).isTrue();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.call(() -> "back")).contains("back");
    }

    @Test
    void oneSlowAnswerAmongGoodOnesDoesNotOpenItButFailuresInARowDo() {
        StoreBreaker patient = new StoreBreaker("Patient", 200, 2, 3);
        try {
            assertThat(patient.call(this::hang)).isEmpty();
            assertThat(patient.call(() -> "fine")).contains("fine");
            assertThat(patient.call(this::hang)).isEmpty();
            assertThat(patient.isOpen()).as("a success in between resets the count").isFalse();
            assertThat(patient.call(this::hang)).isEmpty();
            assertThat(patient.isOpen()).isFalse();
            assertThat(patient.call(this::hang)).isEmpty();
            assertThat(patient.isOpen()).as("three in a row").isTrue();
            assertThat(patient.probe(() -> { }, 500)).isTrue();
            assertThat(patient.isOpen()).isFalse();
            assertThat(patient.probe(() -> {
                throw new IllegalStateException("refused");
            }, 500)).isFalse();
            assertThat(patient.isOpen()).as("a failed probe opens it at once").isTrue();
        } finally {
            patient.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A store slower than the request bound: every awaited call times out, and the writes in between answer late. */
    @Test
    void lateAnswersToWritesDoNotHideASlowStore() throws InterruptedException {
        StoreBreaker patient = new StoreBreaker("Patient", 200, 2, 3);
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(patient.isOpen()).as("before timeout " + (i + 1)).isFalse();
                assertThat(patient.call(this::hang)).isEmpty();
                if (i < 2) {
                    CountDownLatch written = new CountDownLatch(1);
                    patient.fireAndForget(() -> {
                        sleep(600);
                        written.countDown();
                    });
                    assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
                    Thread.sleep(200); // answered() runs just after the write returns
                }
            }
            assertThat(patient.isOpen()).as("three timeouts, the late writes between them reset nothing").isTrue();

            // A write that answers within the bound does reset the count (the breaker is closed again first).
            assertThat(patient.probe(() -> { }, 1_000)).isTrue();
            assertThat(patient.call(this::hang)).isEmpty();
            assertThat(patient.call(this::hang)).isEmpty();
            CountDownLatch quick = new CountDownLatch(1);
            patient.fireAndForget(quick::countDown);
            assertThat(quick.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(500); // the count is reset just after the write returns
            assertThat(patient.call(this::hang)).isEmpty();
            assertThat(patient.isOpen()).as("two, then a timely write, then one: not three in a row").isFalse();
        } finally {
            patient.close();
        }
    }

    @Test
    void aLateProbeAnswerDoesNotCloseIt() {
        assertThat(breaker.call(() -> {
            throw new IllegalStateException("connection refused");
        })).isEmpty();
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.probe(() -> sleep(600), 2_000)).as("the store did answer").isTrue();
        assertThat(breaker.isOpen()).as("but later than a request may wait").isTrue();
        assertThat(breaker.lastFailure()).contains("answered after").contains("past the 200 ms");
        assertThat(breaker.probe(() -> { }, 2_000)).isTrue();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void aFailureOpensItAndAFailedProbeKeepsItOpen() {
        assertThat(breaker.call(() -> {
            throw new IllegalStateException("connection refused");
        })).isEmpty();
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.lastFailure()).contains("connection refused");
        assertThat(breaker.probe(() -> {
            throw new IllegalStateException("still refused");
        }, 500)).isFalse();
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.timesOpened()).isEqualTo(1);
    }

    @Test
    void writesAreNotAwaitedAndSkippedWhileOpen() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        // Returning at all shows it is not awaited: the write never ends until the test does.
        breaker.fireAndForget(this::hang);
        breaker.fireAndForget(ran::countDown);
        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();

        breaker.failed("gone");
        AtomicInteger asked = new AtomicInteger();
        breaker.fireAndForget(asked::incrementAndGet);
        Thread.sleep(50);
        assertThat(asked).hasValue(0);
    }

    @Test
    void aFullPoolAnswersWithTheFallbackRatherThanQueueingForever() {
        StoreBreaker tiny = new StoreBreaker("Tiny", 20, 1, 1);
        try {
            for (int i = 0; i < 300; i++) {
                tiny.fireAndForget(this::hang);
            }
            // 1 thread busy, 256 queued: the rest were refused and counted, none blocked the caller.
            assertThat(tiny.fallbacks()).isGreaterThanOrEqualTo(300 - 257);
            Optional<String> answer = tiny.call(() -> "queued behind hung writes");
            assertThat(answer).isEmpty();
        } finally {
            tiny.close();
        }
    }
}
