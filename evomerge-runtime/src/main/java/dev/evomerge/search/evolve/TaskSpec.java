package dev.evomerge.search.evolve;

import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One entry of {@code tasks:}: an lm-evaluation-harness style task file, its weight in the fitness, the metric
 * scored, its direction, and which of the task's splits plays each role. A split left out falls back as
 * {@code docs/evolve-config.md} says: search on the task's default split; validation on the search split; no test
 * report. Immutable.
 *
 * @param file the task file, resolved against the evolve config's directory
 * @param weight the weight in the fitness sum
 * @param metric the metric key as lm-evaluation-harness writes it ({@code acc,none}, {@code exact_match,strict-match})
 * @param lowerIsBetter whether a smaller metric is better (perplexity)
 * @param searchSplit the split that scores candidates during the search
 * @param validationSplit the split that picks the final recipe
 * @param testSplit the split only reported
 * @param location where the entry is written
 */
public record TaskSpec(Path file, double weight, String metric, boolean lowerIsBetter, Optional<String> searchSplit,
        Optional<String> validationSplit, Optional<String> testSplit, SourceLocation location) {

    /** The metric when none is given. */
    public static final String DEFAULT_METRIC = "acc,none";

    public TaskSpec {
        Requires.nonNull("file, metric, searchSplit, validationSplit, testSplit, location",
                file, metric, searchSplit, validationSplit, testSplit, location);
    }
}
