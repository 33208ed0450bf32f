package io.affnet.distribution.policy;

import io.affnet.distribution.Arm;

import java.util.List;

/** Memo key of a policy's derived probabilities within one state snapshot. */
record MemoKey(Object policy, List<Arm> candidates, Object segment) {
}
