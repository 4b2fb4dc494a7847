package dev.evomerge.eval.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Metrics, aggregations and choice scoring against values worked out by hand (as lm-evaluation-harness gives). */
class MetricsTest {

    @Test
    void choiceScores_accPicksRawMaximum_accNormPicksPerCharacter_accBytesPerUtf8Byte() {
        List<String> choices = List.of("A", "BB", "CCCC");
        double[] ll = {-2, -3, -5};
        boolean[] greedy = {false, false, false};
        assertEquals(1.0, ChoiceScores.score(MetricKind.ACC, ll, greedy, choices, Set.of(0)));
        assertEquals(0.0, ChoiceScores.score(MetricKind.ACC, ll, greedy, choices, Set.of(2)));
        // -2/1, -3/2, -5/4 = -2, -1.5, -1.25: CCCC
        assertEquals(1.0, ChoiceScores.score(MetricKind.ACC_NORM, ll, greedy, choices, Set.of(2)));
        // "é" is one character but two bytes: -3/1 vs -3.5/2 by bytes = -3 vs -1.75
        List<String> accents = List.of("é", "ab");
        double[] ll2 = {-3, -3.5};
        assertEquals(1.0, ChoiceScores.score(MetricKind.ACC_NORM, ll2, greedy, accents, Set.of(1)));
        assertEquals(1.0, ChoiceScores.score(MetricKind.ACC_BYTES, ll2, greedy, accents, Set.of(0)));
    }

    @Test
    void choiceScores_exactMatchUsesGreedyOfAnyGold_outOfRangeGoldMatchesNothing() {
        boolean[] greedy = {false, true};
        double[] ll = {-1, -2};
        List<String> c = List.of("x", "y");
        assertEquals(1.0, ChoiceScores.score(MetricKind.EXACT_MATCH, ll, greedy, c, Set.of(1)));
        assertEquals(0.0, ChoiceScores.score(MetricKind.EXACT_MATCH, ll, greedy, c, Set.of(0, 5)));
        assertEquals(0.0, ChoiceScores.score(MetricKind.ACC, ll, greedy, c, Set.of(-1)));
        assertThrows(IllegalArgumentException.class,
                () -> ChoiceScores.score(MetricKind.PERPLEXITY, ll, greedy, c, Set.of(0)));
    }

    @Test
    void argMax_firstOfTies_nanWins() {
        assertEquals(1, ChoiceScores.argMax(new double[] {1, 3, 3}));
        assertEquals(2, ChoiceScores.argMax(new double[] {1, 3, Double.NaN, 4}));
        assertEquals(0, ChoiceScores.argMax(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}));
    }

    @Test
    void aggregation_meanMedianPerplexity_andMeanStderr() {
        List<Double> v = List.of(1.0, 0.0, 1.0, 1.0);
        assertEquals(0.75, Aggregation.MEAN.apply(v));
        // upper median of an even count, as sorted[n // 2]
        assertEquals(2.0, Aggregation.MEDIAN.apply(List.of(3.0, 1.0, 2.0, 0.0)));
        assertEquals(Math.exp(2.0), Aggregation.PERPLEXITY.apply(List.of(-1.0, -3.0)), 1e-12);
        assertTrue(Double.isNaN(Aggregation.MEAN.apply(List.of())));
        // sample std of {1,0,1,1} = 0.5, over sqrt(4)
        assertEquals(Optional.of(0.25), Aggregation.MEAN.stderr(v));
        assertEquals(Optional.empty(), Aggregation.MEDIAN.stderr(v));
        assertEquals(Optional.empty(), Aggregation.MEAN.stderr(List.of(1.0)));
        assertEquals(Optional.of(Aggregation.PERPLEXITY), Aggregation.named("perplexity"));
        assertEquals(Optional.empty(), Aggregation.named("Mean"));
    }

    @Test
    void metricKind_namesDefaultsAndDirections() {
        assertEquals(Optional.of(MetricKind.ACC_NORM), MetricKind.named("acc_norm"));
        assertEquals(Optional.empty(), MetricKind.named("bleu"));
        assertEquals(Aggregation.PERPLEXITY, MetricKind.PERPLEXITY.defaultAggregation());
        assertEquals(false, MetricKind.PERPLEXITY.defaultHigherIsBetter());
        assertEquals(true, MetricKind.EXACT_MATCH.defaultHigherIsBetter());
    }

    @Test
    void exactMatch_options_normaliseAsTheHarness() {
        assertEquals(0.0, ExactMatch.PLAIN.score("Paris", "paris"));
        ExactMatch loose = new ExactMatch(true, true, true, List.of(Pattern.compile("the ")));
        // the ignored regexes first, then case, punctuation, digits
        assertEquals("paris", loose.normalise("the Paris!"));
        assertEquals("the paris", loose.normalise("The Paris!"));
        assertEquals(1.0, loose.score("the Paris2024.", "PARIS"));
        assertEquals(0.0, loose.score("the Paris, 2024.", "PARIS"));
    }

    @Test
    void regexFilter_defaultGsm8kPattern_groupsFallbackAndNegativeSelect() {
        ResponseFilter.Regex gsm = new ResponseFilter.Regex(PythonRegex.compile(ResponseFilter.Regex.DEFAULT_PATTERN),
                ResponseFilter.Regex.DEFAULT_PATTERN, 0, ResponseFilter.Regex.DEFAULT_FALLBACK);
        assertEquals("42", gsm.extract("so 6*7 is\n#### 42"));
        assertEquals("[invalid]", gsm.extract("no answer"));
        assertEquals("1,000", gsm.extract("#### 1,000 then #### 5"));
        ResponseFilter.Regex last = new ResponseFilter.Regex(Pattern.compile("\\d+"), "\\d+", -1, "none");
        assertEquals("5", last.extract("1 then 3 then 5"));
        assertEquals("none", last.extract("nothing"));
        ResponseFilter.Regex outOfRange = new ResponseFilter.Regex(Pattern.compile("\\d+"), "\\d+", 3, "none");
        assertEquals("none", outOfRange.extract("1 2"));
        // several groups: the first non-empty one of each match, stripped
        ResponseFilter.Regex two = new ResponseFilter.Regex(Pattern.compile("(a)|( b )"), "(a)|( b )", 1, "x");
        assertEquals("b", two.extract("a b "));
    }

    @Test
    void pythonRegex_namedGroupsBackReferencesAndEndOfText() {
        assertTrue(PythonRegex.compile("(?P<n>\\d+)-(?P=n)").matcher("12-12").matches());
        assertTrue(!PythonRegex.compile("(?P<n>\\d+)-(?P=n)").matcher("12-13").matches());
        assertTrue(PythonRegex.compile("end\\Z").matcher("the end").find());
        assertTrue(!PythonRegex.compile("end\\Z").matcher("the end\n").find());
        // Unicode classes as Python's str patterns have them
        assertTrue(PythonRegex.compile("^\\w+$").matcher("déjà").matches());
    }

    @Test
    void pipeline_takeFirstLowercaseStrip_appliedInOrder() {
        FilterPipeline p = new FilterPipeline("clean", List.of(
                new ResponseFilter.EachResponse(ResponseFilter.EachResponse.Change.LOWERCASE),
                new ResponseFilter.EachResponse(ResponseFilter.EachResponse.Change.REMOVE_WHITESPACE),
                new ResponseFilter.TakeFirst()));
        assertEquals("yes", p.apply(List.of("  YES \n", "No")));
        ResponseFilter upper = new ResponseFilter.EachResponse(ResponseFilter.EachResponse.Change.UPPERCASE);
        assertEquals("uppercase", upper.name());
        assertEquals("B", new FilterPipeline("up", List.of(upper, new ResponseFilter.TakeFirst())).apply(List.of("b")));
        assertEquals("first", FilterPipeline.NONE.apply(List.of("first", "second")));
    }
}
