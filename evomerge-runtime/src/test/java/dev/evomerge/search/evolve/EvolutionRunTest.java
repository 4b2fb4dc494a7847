package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.diag.InputException;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.search.space.RecipeHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole evolve runs on tiny models: the parameter space, the data-flow space, the outputs, resume. */
class EvolutionRunTest {

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void fixture() {
        EvolveFixture.create(dir);
    }

    static final String PS = EvolveFixture.GENOME + EvolveFixture.cmaes(3) + """
              seed: 5
            """ + EvolveFixture.TASKS;

    static final String DFS = EvolveFixture.DFS + EvolveFixture.cmaes(2) + EvolveFixture.TASKS;

    private static EvolutionResult run(String name, String yaml, boolean resume, List<Event> events)
            throws IOException {
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, yaml);
        EventListener listener = events::add;
        return EvolutionRun.run(EvolveConfigReader.read(config, listener), dir.resolve("work-" + name), resume,
                new ModelResolver(dir, Map.of()), listener);
    }

    @Test
    void parameterSpace_cmaes_writesHistoryCheckpointRecipeModelAndSummary() throws IOException {
        List<Event> events = new ArrayList<>();
        EvolutionResult result = run("ps", PS, false, events);
        Path work = result.workDirectory();
        List<String> history = Files.readAllLines(work.resolve("history.jsonl"));
        assertEquals(12, history.size());
        assertEquals(12, result.evaluations());
        JsonNode first = JSON.readTree(history.getFirst());
        assertEquals("ps", first.get("stage").asText());
        assertEquals(0, first.get("generation").asInt());
        assertEquals(2, first.get("genome").size());
        assertTrue(first.get("error").isNull());
        double perplexity = first.get("scores").get("words").get("perplexity,none").asDouble();
        assertTrue(perplexity > 1 && Double.isFinite(perplexity));
        assertEquals(-perplexity, first.get("fitness").asDouble(), 0.0);

        MergeConfigFile best = MergeConfigFile.read(result.bestRecipe(), EventListener.NONE);
        assertEquals("task_arithmetic", best.config().mergeMethod());
        String chosen = JSON.readTree(Files.readString(work.resolve("summary.json"))).get("best").get("recipe")
                .asText();
        assertEquals(chosen, RecipeHash.of(best.config()));
        assertTrue(history.stream().anyMatch(l -> l.contains("\"recipe\":\"" + chosen + "\"")));
        assertTrue(Files.isRegularFile(result.bestModel().resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(result.bestModel().resolve("config.json")));
        assertTrue(Files.isRegularFile(result.bestModel().resolve("tokenizer.json")));

        JsonNode summary = JSON.readTree(Files.readString(work.resolve("summary.json")));
        assertEquals(3, summary.get("sources").size());
        for (String role : List.of("search", "validation", "test")) {
            assertTrue(summary.get("best").get(role).get("fitness").isNumber(), role);
            assertTrue(summary.get("untuned_merge").get(role).get("fitness").isNumber(), role);
        }
        assertEquals(result.validationFitness(), summary.get("best").get("validation").get("fitness").asDouble(),
                0.0);
        assertTrue(Files.isRegularFile(Checkpoint.file(work)));
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.Lifecycle l
                && l.message().startsWith("PS generation 3: 12 evaluations, best ")));
    }

    @Test
    void memoryBudgetForOneCandidate_twoThreads_evaluatesOneAtATimeAndSaysSo() throws IOException {
        List<Event> events = new ArrayList<>();
        String yaml = PS.replace("budget: {generations: 3}", "budget: {generations: 1}")
                + "evaluation:\n  threads: 2\n  memory_budget: 1K\n";
        EvolutionResult result = run("gated", yaml, false, events);
        assertEquals(4, result.evaluations());
        List<String> said = events.stream().filter(e -> e instanceof Event.Lifecycle)
                .map(e -> ((Event.Lifecycle) e).message()).filter(m -> m.contains("memory budget")).toList();
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.getFirst().matches("PS candidates need about [0-9.]+ [KM]B each: 1 of 2 evaluation threads"
                + " fit in the memory budget of 1.00 KB \\(evaluation.memory_budget\\)"), said.getFirst());
    }

    @Test
    void dataFlowSpace_perStepScales_bestIsAPassthroughRecipeAndItsCheckpoint() throws IOException {
        EvolutionResult result = run("dfs", DFS, false, new ArrayList<>());
        MergeConfigFile best = MergeConfigFile.read(result.bestRecipe(), EventListener.NONE);
        assertEquals("passthrough", best.config().mergeMethod());
        List<String> history = Files.readAllLines(result.workDirectory().resolve("history.jsonl"));
        assertEquals(8, history.size());
        assertTrue(history.stream().allMatch(l -> l.contains("\"stage\":\"dfs\"")));
        assertTrue(Files.isRegularFile(result.bestModel().resolve("model.safetensors")));
        assertEquals(2, JSON.readTree(Files.readString(result.workDirectory().resolve("summary.json")))
                .get("sources").size());
    }

    @Test
    void workDirectoryWithARun_withoutResume_isRefused() throws IOException {
        run("again", PS.replace("generations: 3", "generations: 1"), false, new ArrayList<>());
        InputException e = assertThrows(InputException.class, () -> run("again", PS.replace("generations: 3",
                "generations: 1"), false, new ArrayList<>()));
        assertTrue(e.getMessage().contains("holds an evolve run already"), e.getMessage());
    }

    @Test
    void resume_withAnotherConfig_isRefused() throws IOException {
        run("changed", PS.replace("generations: 3", "generations: 1"), false, new ArrayList<>());
        InputException e = assertThrows(InputException.class, () -> run("changed", PS, true, new ArrayList<>()));
        assertTrue(e.getMessage().contains("holds a run that started from other inputs: the config "), e.getMessage());
    }

    @Test
    void resume_ofAFinishedRun_endsWithTheSameRecipe() throws IOException {
        String yaml = PS.replace("generations: 3", "generations: 2");
        EvolutionResult first = run("twice", yaml, false, new ArrayList<>());
        String recipe = Files.readString(first.bestRecipe());
        EvolutionResult again = run("twice", yaml, true, new ArrayList<>());
        assertEquals(recipe, Files.readString(again.bestRecipe()));
        assertEquals(8, Files.readAllLines(again.workDirectory().resolve("history.jsonl")).size());
        assertFalse(Files.exists(again.workDirectory().resolve("scratch")));
    }

    @Test
    void pausedAfterOneGeneration_thenResumed_sameRecipeAsUninterrupted() throws IOException {
        Path config = dir.resolve("paused.yml");
        Files.writeString(config, PS);
        EvolveConfig read = EvolveConfigReader.read(config, EventListener.NONE);
        ModelResolver resolver = new ModelResolver(dir, Map.of());
        EvolutionResult paused = EvolutionRun.run(read, dir.resolve("work-paused"), false,
                java.util.OptionalLong.of(1), resolver, EventListener.NONE);
        assertFalse(paused.finished());
        assertEquals(4, paused.evaluations());
        assertFalse(Files.exists(paused.bestRecipe()));
        EvolutionResult resumed = EvolutionRun.run(read, dir.resolve("work-paused"), true, resolver,
                EventListener.NONE);
        assertTrue(resumed.finished());
        EvolutionResult plain = EvolutionRun.run(read, dir.resolve("work-unpaused"), false, resolver,
                EventListener.NONE);
        assertEquals(Files.readString(plain.bestRecipe()), Files.readString(resumed.bestRecipe()));
        assertEquals(plain.validationScores(), resumed.validationScores());
        assertEquals(12, resumed.evaluations());
    }

    @Test
    void hybrid_psThenDfsOverThePsResult_writesBothStagesAndAPassthroughRecipe() throws IOException {
        EvolutionResult result = run("hybrid", EvolveFixture.GENOME + """
                dfs:
                  models: [ps, models/a]
                  repeats: 1
                search:
                  population: 4
                  budget: {generations: 2}
                """ + EvolveFixture.TASKS, false, new ArrayList<>());
        Path work = result.workDirectory();
        List<String> history = Files.readAllLines(work.resolve("history.jsonl"));
        assertEquals(16, history.size());
        assertEquals(8, history.stream().filter(l -> l.contains("\"stage\":\"ps\"")).count());
        assertEquals(8, history.stream().filter(l -> l.contains("\"stage\":\"dfs\"")).count());
        assertTrue(Files.isRegularFile(work.resolve("ps/best/model.safetensors")));
        assertTrue(Files.readString(work.resolve("ps/best.yml")).contains("merge_method: task_arithmetic"));
        String best = Files.readString(result.bestRecipe());
        assertTrue(best.contains("merge_method: passthrough"), best);
        assertTrue(best.contains(work.resolve("ps/best").toString()), best);
        JsonNode summary = JSON.readTree(Files.readString(work.resolve("summary.json")));
        assertEquals("hybrid", summary.get("stages").asText());
        assertEquals(3, summary.get("sources").size());
        assertTrue(summary.get("untuned_merge").get("validation").get("fitness").isNumber());
        // the rows of the paper's Table 1 beside the chosen recipe: the PS stage's result, every scale 1
        assertEquals("task_arithmetic", summary.get("merge_method").asText());
        for (String row : List.of("ps", "best_unit_scales")) {
            for (String role : List.of("search", "validation", "test")) {
                assertTrue(summary.get(row).get(role).get("fitness").isNumber(), row + " " + role);
            }
        }
    }

    @Test
    void commandEvaluator_failingCandidates_getTheWorstFitnessAndTheirErrorAndTheRunGoesOn() throws IOException {
        Path script = dir.resolve("eval.sh");
        Files.writeString(script, """
                sum=$(cksum < "$1/model.safetensors" | cut -d' ' -f1)
                if [ $((sum % 2)) -eq 0 ]; then echo "rejected by the test evaluator" >&2; exit 3; fi
                printf '{"results": {"words": {"perplexity,none": %d.%03d}}}' $((sum % 7 + 1)) $((sum % 1000)) > "$2"
                """);
        EvolutionResult result = run("command", PS.replace("generations: 3", "generations: 4") + """
                evaluation:
                  mode: command
                  command: sh %s {model_dir} {output}
                  timeout: 60s
                """.formatted(script), false, new ArrayList<>());
        List<JsonNode> history = new ArrayList<>();
        for (String line : Files.readAllLines(result.workDirectory().resolve("history.jsonl"))) {
            history.add(JSON.readTree(line));
        }
        assertEquals(16, history.size());
        List<JsonNode> failed = history.stream().filter(h -> !h.get("error").isNull()).toList();
        assertFalse(failed.isEmpty(), "some candidates fail with this evaluator");
        assertTrue(failed.size() < history.size(), "and some succeed");
        for (JsonNode h : failed) {
            assertTrue(h.get("error").asText().contains("exited with status 3"), h.toString());
            assertTrue(h.get("error").asText().contains("rejected by the test evaluator"), h.toString());
            assertTrue(h.get("fitness").isNull() && h.get("scores").isNull(), h.toString());
        }
        for (JsonNode h : history) {
            if (h.get("error").isNull()) {
                assertEquals(-h.get("scores").get("words").get("perplexity,none").asDouble(),
                        h.get("fitness").asDouble(), 0.0);
            }
        }
        assertTrue(result.finished());
        assertTrue(Double.isFinite(result.validationFitness()));
        assertFalse(Files.exists(result.workDirectory().resolve("scratch")));
    }

    @Test
    void commandEvaluator_withSubset_getsEachGenerationsDocumentsThroughSamples() throws IOException {
        Path script = dir.resolve("eval-samples.sh");
        Path log = dir.resolve("samples.log");
        Files.writeString(script, """
                printf '%%s\\n' "$(cat "$3")" >> %s
                sum=$(cksum < "$1/model.safetensors" | cut -d' ' -f1)
                printf '{"results": {"words": {"perplexity,none": %%d.%%03d}}}' $((sum %% 7 + 1)) $((sum %% 1000)) > "$2"
                """.formatted(log));
        List<Event> events = new ArrayList<>();
        EvolutionResult result = run("samples", PS.replace("generations: 3", "generations: 2")
                .replace("  seed: 5", "  seed: 5\n  subset: 2") + """
                evaluation:
                  mode: command
                  command: sh %s {model_dir} {output} {samples}
                  timeout: 60s
                """.formatted(script), false, events);
        assertTrue(result.finished());
        List<List<Integer>> search = new ArrayList<>();
        List<List<Integer>> others = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode samples = JSON.readTree(line);
            assertEquals(List.of("words"), iterable(samples.fieldNames()), line);
            List<Integer> docs = new ArrayList<>();
            samples.get("words").forEach(n -> docs.add(n.asInt()));
            (docs.size() == 2 ? search : others).add(docs);
        }
        // two generations of four candidates, each generation on its own two of the five search documents
        assertEquals(8, search.size(), search.toString());
        assertEquals(1, search.subList(0, 4).stream().distinct().count(), search.toString());
        assertEquals(1, search.subList(4, 8).stream().distinct().count(), search.toString());
        assertTrue(search.stream().allMatch(d -> d.get(0) < d.get(1) && d.get(1) < 5), search.toString());
        // validation and test runs score every document of their split
        assertFalse(others.isEmpty());
        assertTrue(others.stream().allMatch(List.of(0, 1, 2, 3, 4)::equals), others.toString());
        assertTrue(events.stream().noneMatch(e -> e instanceof Event.Warning w && w.message().contains("{samples}")),
                events.toString());
    }

    @Test
    void commandEvaluator_withSubsetButNoSamplesPlaceholder_warnsOnce() throws IOException {
        Path script = dir.resolve("eval-plain.sh");
        Files.writeString(script, """
                printf '{"results": {"words": {"perplexity,none": 2.5}}}' > "$2"
                """);
        List<Event> events = new ArrayList<>();
        run("nosamples", PS.replace("generations: 3", "generations: 2").replace("  seed: 5", "  seed: 5\n  subset: 2")
                + """
                evaluation:
                  mode: command
                  command: sh %s {model_dir} {output}
                  timeout: 60s
                """.formatted(script), false, events);
        List<String> warnings = events.stream().filter(e -> e instanceof Event.Warning).map(e -> ((Event.Warning) e)
                .message()).filter(m -> m.contains("{samples}")).toList();
        assertEquals(1, warnings.size(), events.toString());
        assertTrue(warnings.getFirst().contains("search.subset"), warnings.getFirst());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void genomeMergekitCannotMerge_failsAtTheGenomeBeforeTheSearch() throws IOException {
        dev.evomerge.diag.ConfigException e = assertThrows(dev.evomerge.diag.ConfigException.class,
                () -> run("unplannable", PS.replace("merge_method: task_arithmetic", "merge_method: linear"), false,
                        new ArrayList<>()));
        assertTrue(e.getMessage().contains("the genome's merge cannot be planned: Missing required parameter weight"
                + " for models/base"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("work-unplannable")));
    }
}
