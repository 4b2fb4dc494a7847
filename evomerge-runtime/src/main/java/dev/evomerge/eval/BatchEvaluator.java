package dev.evomerge.eval;

import java.util.List;

/**
 * An evaluator that scores many candidates in one submission (a generation as one cluster job array) rather than
 * one call per candidate. A search hands it a generation's candidates at once; single candidates go through
 * {@link #evaluate(Candidate)} as a batch of one.
 */
public interface BatchEvaluator extends Evaluator {

    /**
     * Evaluates candidates together.
     *
     * @param batch a name for the batch that is the same when a resumed run evaluates the same candidates again
     *     ({@code ps-g3}), so that results that finished while the run was away are found
     * @return one outcome per candidate, in order
     */
    List<EvaluationOutcome> evaluateAll(String batch, List<Candidate> candidates);

    @Override
    default EvaluationOutcome evaluate(Candidate candidate) {
        return evaluateAll(candidate.name(), List.of(candidate)).getFirst();
    }
}
