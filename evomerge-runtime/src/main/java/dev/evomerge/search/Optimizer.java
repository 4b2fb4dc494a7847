package dev.evomerge.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ask/tell optimizer over real genome vectors. The run loop drives it one generation at a time:
 *
 * {@snippet :
 * while (stop.check(SearchStatus.of(optimizer, elapsed)).isEmpty()) {
 *     List<double[]> genomes = optimizer.ask();          // within the optimizer's bounds
 *     List<double[]> scores = evaluateInParallel(genomes); // one score vector per genome, same order
 *     optimizer.tell(scores);
 *     checkpoint.write(optimizer.state());               // restorable bit for bit
 * }
 * }
 *
 * <p><b>Scores.</b> Each objective has a {@link Direction} fixed at construction; scores are passed as the
 * evaluator produced them (no sign flipping). A failed candidate (exception, NaN, time-out) is given
 * {@code Double.NaN} (or any non-finite value) in every component: the optimizer ranks it below every finite
 * score, keeps it in the generation and goes on.
 *
 * <p><b>Generations.</b> {@link #ask()} returns the current generation's candidates; asking again before
 * {@link #tell(List)} returns the same candidates. {@link #tell(List)} takes exactly one score vector per asked
 * candidate and ends the generation. {@link #generation()} counts completed generations.
 *
 * <p><b>State.</b> {@link #state()} is a JSON object holding everything the optimizer is (its settings, its
 * random generator's state, its distribution or population, the pending candidates if asked, its best solutions);
 * each implementation's {@code restore(JsonNode)} factory rebuilds an optimizer that continues exactly as this one
 * would have, bit for bit. The object always has {@code "optimizer"} (the {@link #kind()}) and {@code "version"}.
 *
 * <p>Implementations are not thread-safe: one thread drives an optimizer.
 */
public interface Optimizer {

    /** The name of the algorithm, as written in the state: {@code cmaes}, {@code ga} or {@code nsga2}. */
    String kind();

    /** The genome length. */
    int dimension();

    /** One direction per objective; a single-objective optimizer has one. */
    List<Direction> directions();

    /** The number of completed generations (calls to {@link #tell(List)}). */
    long generation();

    /** The number of scores received so far, failed candidates included. */
    long evaluations();

    /** The current generation's candidate genomes, each a fresh array within the bounds. */
    List<double[]> ask();

    /**
     * Ends the generation with one score vector per asked candidate, in the order {@link #ask()} gave them. A
     * non-finite component marks the candidate as failed.
     *
     * @throws IllegalStateException if nothing was asked
     * @throws IllegalArgumentException if the number of vectors or their length does not match
     */
    void tell(List<double[]> scores);

    /** {@link #tell(List)} for a single objective: one fitness per asked candidate. */
    default void tellFitness(double... fitness) {
        List<double[]> scores = new ArrayList<>(fitness.length);
        for (double f : fitness) {
            scores.add(new double[] {f});
        }
        tell(scores);
    }

    /**
     * The best solution evaluated so far, for a single objective; empty before the first tell or when there are
     * several objectives (see {@link #paretoFront()}).
     */
    Optional<Solution> best();

    /**
     * The non-dominated solutions evaluated so far, each with its genome and score vector, in a stable order. For a
     * single objective, the best solution alone.
     */
    List<Solution> paretoFront();

    /**
     * Why the algorithm itself considers the search finished (for CMA-ES: {@code tolfun}, {@code tolx}, ...), or
     * empty while it can still make progress. The run loop decides whether to stop; see
     * {@link StopConditions#optimizerTerminated()}.
     */
    Optional<String> termination();

    /** The whole state as a fresh JSON object (see the class comment). */
    ObjectNode state();
}
