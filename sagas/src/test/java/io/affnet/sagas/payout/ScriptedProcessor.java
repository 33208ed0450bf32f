package io.affnet.sagas.payout;

import io.affnet.sagas.payout.processor.PayoutInstruction;
import io.affnet.sagas.payout.processor.PayoutProcessor;
import io.affnet.sagas.payout.processor.ProcessorName;
import io.affnet.sagas.payout.processor.ProcessorPayout;
import io.affnet.sagas.payout.processor.SubmitOutcome;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A processor test double that plays a recorded script: each call takes the next answer queued for
 * its kind (find, submit, fetch) and records what was asked, so a test states the conversation it
 * expects. A call with no answer left fails the test.
 */
final class ScriptedProcessor implements PayoutProcessor {

    final Deque<Optional<ProcessorPayout>> finds = new ArrayDeque<>();
    final Deque<SubmitOutcome> submits = new ArrayDeque<>();
    final Deque<ProcessorPayout> fetches = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();
    final List<PayoutInstruction> instructions = new ArrayList<>();
    /** What {@link #replayWindow()} answers (zero unless a test says otherwise: find before every submit). */
    java.time.Duration replayWindow = java.time.Duration.ZERO;

    ScriptedProcessor find(Optional<ProcessorPayout> answer) {
        finds.add(answer);
        return this;
    }

    ScriptedProcessor submit(SubmitOutcome answer) {
        submits.add(answer);
        return this;
    }

    ScriptedProcessor fetch(ProcessorPayout answer) {
        fetches.add(answer);
        return this;
    }

    @Override
    public ProcessorName name() {
        return ProcessorName.STRIPE;
    }

    @Override
    public Optional<String> refusal(String country, String currency) {
        return Optional.empty();
    }

    @Override
    public java.time.Duration replayWindow() {
        return replayWindow;
    }

    @Override
    public SubmitOutcome submit(PayoutInstruction instruction) {
        calls.add("submit");
        instructions.add(instruction);
        return next(submits, "submit");
    }

    @Override
    public Optional<ProcessorPayout> find(PayoutInstruction instruction) {
        calls.add("find");
        instructions.add(instruction);
        return next(finds, "find");
    }

    @Override
    public ProcessorPayout fetch(PayoutInstruction instruction, String processorReference) {
        calls.add("fetch:" + processorReference);
        instructions.add(instruction);
        return next(fetches, "fetch");
    }

    private static <T> T next(Deque<T> answers, String kind) {
        if (answers.isEmpty()) {
            throw new AssertionError("the script has no answer left for " + kind);
        }
        return answers.poll();
    }
}
