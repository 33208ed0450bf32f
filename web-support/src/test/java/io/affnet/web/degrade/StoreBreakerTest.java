package io.affnet.web.degrade;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class StoreBreakerTest {

    private final StoreBreaker breaker = new StoreBreaker("Store", 50, 2, 1);
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
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(40L, 3_000L);
        assertThat(breaker.isOpen()).isTrue();

        AtomicInteger asked = new AtomicInteger();
        start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            assertThat(breaker.call(asked::incrementAndGet)).isEmpty();
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no waits while open (1,000 bounded waits would be 50 s)").isLessThan(2_000);
        assertThat(asked).as("the store is not asked while the breaker is open").hasValue(0);
        assertThat(breaker.fallbacks()).isEqualTo(1_001);

        assertThat(breaker.probe(() -> { }, 500)).isTrue();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.call(() -> "back")).contains("back");
    }

    @Test
    void oneSlowAnswerAmongGoodOnesDoesNotOpenItButFailuresInARowDo() {
        StoreBreaker patient = new StoreBreaker("Patient", 50, 2, 3);
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
