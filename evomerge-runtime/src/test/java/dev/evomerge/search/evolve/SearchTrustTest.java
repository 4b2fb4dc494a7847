package dev.evomerge.search.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole evolve runs on tiny models, checking what decides which recipe a user gets. */
class SearchTrustTest {

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void fixture() {
        EvolveFixture.create(dir);
    }

    private static final String PS = EvolveFixture.GENOME + EvolveFixture.cmaes(3) + """
              seed: 5
            """ + EvolveFixture.TASKS;

    static EvolutionResult run(String name, String yaml, List<Event> events) throws IOException {
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, yaml);
        EventListener listener = events::add;
        return EvolutionRun.run(EvolveConfigReader.read(config, listener), dir.resolve("work-" + name), false,
                new ModelResolver(dir, Map.of()), listener);
    }

    static List<JsonNode> history(EvolutionResult result) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(result.workDirectory().resolve("history.jsonl"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void initialRandom_ga_startPointIsNotTheFirstRandomMember() throws IOException {
        EvolutionResult result = run("random-ga", PS.replace("optimizer: cmaes", "optimizer: ga")
                .replace("generations: 3", "generations: 1").replace("seed: 5", "seed: 5\n  initial: random"),
                new ArrayList<>());
        List<JsonNode> history = history(result);
        assertEquals(4, history.size());
        for (int i = 1; i < history.size(); i++) {
            assertFalse(history.get(0).get("genome").equals(history.get(i).get("genome")),
                    "member " + i + " repeats the start point " + history.get(0).get("genome"));
        }
    }

    @Test
    void subset_cmaes_finalRecipeIsTheBestValidatedSnapshotOfAllGenerations() throws IOException {
        EvolutionResult result = run("subset-cmaes", PS.replace("generations: 3", "generations: 4")
                .replace("seed: 5", "seed: 5\n  subset: 2"), new ArrayList<>());
        JsonNode summary = JSON.readTree(Files.readString(result.workDirectory().resolve("summary.json")));
        JsonNode selection = summary.get("selection");
        assertTrue(selection.get("rule").asText().startsWith("per-generation validation"), selection.toString());
        List<JsonNode> history = history(result);
        // every generation's best candidate by its own subset's fitness is a snapshot (or repeats an earlier recipe)
        java.util.Set<String> snapshotRecipes = new java.util.HashSet<>();
        double bestValidation = Double.NEGATIVE_INFINITY;
        String bestRecipe = null;
        int means = 0;
        for (JsonNode s : selection.get("snapshots")) {
            snapshotRecipes.add(s.get("recipe").asText());
            means += s.get("snapshot").asText().equals("mean") ? 1 : 0;
            if (s.get("validation_fitness").asDouble() > bestValidation) {
                bestValidation = s.get("validation_fitness").asDouble();
                bestRecipe = s.get("recipe").asText();
            }
        }
        assertTrue(means >= 1, "CMA-ES' mean is validated too");
        for (int g = 0; g < 4; g++) {
            int generation = g;
            JsonNode best = history.stream().filter(h -> h.get("generation").asInt() == generation)
                    .max(java.util.Comparator.comparingDouble(h -> h.get("fitness").asDouble())).orElseThrow();
            assertTrue(snapshotRecipes.contains(best.get("recipe").asText()), "generation " + g);
        }
        assertEquals(bestRecipe, summary.get("best").get("recipe").asText());
        assertEquals(bestValidation, selection.get("chosen_validation_fitness").asDouble(), 0.0);
        assertEquals(bestValidation, summary.get("best").get("validation").get("fitness").asDouble(), 1e-9);
        assertEquals(bestValidation, result.validationFitness(), 0.0);
    }

    @Test
    void subset_hybrid_dfsStartPointIsModelA_validatedAsStart_andSurvivesPauseAndResume() throws IOException {
        Path config = dir.resolve("subset-hybrid.yml");
        Files.writeString(config, EvolveFixture.GENOME + """
                dfs:
                  models: [ps, models/a]
                  repeats: 1
                  scaling: per_step
                search:
                  optimizer: cmaes
                  population: 4
                  budget: {generations: 2}
                  seed: 3
                  subset: 2
                """ + EvolveFixture.TASKS);
        EvolveConfig read = EvolveConfigReader.read(config, EventListener.NONE);
        ModelResolver resolver = new ModelResolver(dir, Map.of());
        EvolutionResult plain = EvolutionRun.run(read, dir.resolve("work-subset-hybrid"), false, resolver,
                EventListener.NONE);
        // one generation an invocation: paused in each stage, resumed from each stage's checkpoint
        Path work = dir.resolve("work-subset-hybrid-paused");
        EvolutionResult paused = EvolutionRun.run(read, work, false, java.util.OptionalLong.of(1), resolver,
                EventListener.NONE);
        int invocations = 1;
        while (!paused.finished()) {
            paused = EvolutionRun.run(read, work, true, java.util.OptionalLong.of(1), resolver, EventListener.NONE);
            invocations++;
        }
        assertEquals(4, invocations);
        JsonNode summary = JSON.readTree(Files.readString(plain.workDirectory().resolve("summary.json")));
        JsonNode resumed = JSON.readTree(Files.readString(work.resolve("summary.json")));
        JsonNode selection = summary.get("selection");
        // DFS recipes name the PS result's directory, which is in each run's own work directory
        assertEquals(withoutRecipes(selection), withoutRecipes(resumed.get("selection")));
        // the PS stage's row beside the result, also when the run resumed after the PS stage
        assertEquals(summary.get("ps"), resumed.get("ps"));
        assertEquals(summary.get("evaluations"), resumed.get("evaluations"));
        assertEquals(Files.readString(plain.bestRecipe()).replace(plain.workDirectory().toString(), "WORK"),
                Files.readString(paused.bestRecipe()).replace(work.toString(), "WORK"));
        JsonNode start = selection.get("snapshots").get(0);
        assertEquals("start", start.get("snapshot").asText(), selection.toString());
        assertEquals(0, start.get("generation").asInt());
        assertTrue(start.get("search_fitness_on_subset").isNull(), "the search never scored the start point");
        assertEquals(1, java.util.stream.StreamSupport.stream(selection.get("snapshots").spliterator(), false)
                .filter(s -> s.get("snapshot").asText().equals("start")).count());
        // the DFS start point decodes to model A, the PS result: the same validation fitness
        double ps = summary.get("ps").get("validation").get("fitness").asDouble();
        assertEquals(ps, start.get("validation_fitness").asDouble(), 1e-9);
        assertTrue(selection.get("chosen_validation_fitness").asDouble() >= ps, selection.toString());
    }

    private static JsonNode withoutRecipes(JsonNode selection) {
        JsonNode copy = selection.deepCopy();
        copy.get("snapshots").forEach(n -> ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("recipe"));
        return copy;
    }

    /** Whether (fitness a, path length a) dominates (fitness b, path length b): fitness up, length down. */
    private static boolean dominates(double fitnessA, double lengthA, double fitnessB, double lengthB) {
        return fitnessA >= fitnessB && lengthA <= lengthB && (fitnessA > fitnessB || lengthA < lengthB);
    }

    @Test
    void subset_nsga2_paretoSetIsTheValidatedFrontOfEveryGeneration() throws IOException {
        EvolutionResult result = run("subset-nsga2", """
                dfs:
                  models: [models/a, models/b]
                  repeats: 2
                search:
                  optimizer: nsga2
                  population: 6
                  path_length_objective: true
                  budget: {generations: 3}
                  seed: 4
                  subset: 2
                """ + EvolveFixture.TASKS, new ArrayList<>());
        JsonNode summary = JSON.readTree(Files.readString(result.workDirectory().resolve("summary.json")));
        JsonNode selection = summary.get("selection");
        assertTrue(selection.get("rule").asText().startsWith("per-generation validation: each generation's"
                + " non-dominated candidates"), selection.toString());
        List<JsonNode> history = history(result);
        Map<String, Double> length = new java.util.HashMap<>();
        history.forEach(h -> length.put(h.get("recipe").asText(), h.get("objectives").get(1).asDouble()));
        // every generation's non-dominated candidates (by their search objectives) are snapshots
        java.util.Set<String> snapshotRecipes = new java.util.HashSet<>();
        selection.get("snapshots").forEach(s -> snapshotRecipes.add(s.get("recipe").asText()));
        for (int g = 0; g < 3; g++) {
            int generation = g;
            List<JsonNode> members = history.stream().filter(h -> h.get("generation").asInt() == generation
                    && !h.get("fitness").isNull()).toList();
            for (JsonNode m : members) {
                boolean dominated = members.stream().anyMatch(o -> dominates(o.get("objectives").get(0).asDouble(),
                        o.get("objectives").get(1).asDouble(), m.get("objectives").get(0).asDouble(),
                        m.get("objectives").get(1).asDouble()));
                assertTrue(dominated || snapshotRecipes.contains(m.get("recipe").asText()),
                        "generation " + g + " front member " + m.get("recipe"));
            }
        }
        // the Pareto set is the snapshots no snapshot dominates on (validation fitness, path length)
        List<JsonNode> snapshots = new ArrayList<>();
        selection.get("snapshots").forEach(snapshots::add);
        java.util.Set<String> front = new java.util.HashSet<>();
        double bestValidation = Double.NEGATIVE_INFINITY;
        for (JsonNode s : snapshots) {
            String recipe = s.get("recipe").asText();
            boolean dominated = snapshots.stream().anyMatch(o -> dominates(o.get("validation_fitness").asDouble(),
                    length.get(o.get("recipe").asText()), s.get("validation_fitness").asDouble(),
                    length.get(recipe)));
            assertEquals(!dominated, s.get("pareto").asBoolean(), s.toString());
            if (!dominated) {
                front.add(recipe);
                bestValidation = Math.max(bestValidation, s.get("validation_fitness").asDouble());
            }
        }
        JsonNode pareto = JSON.readTree(Files.readString(result.workDirectory().resolve("pareto/pareto.json")));
        java.util.Set<String> written = new java.util.HashSet<>();
        pareto.forEach(p -> written.add(p.get("hash").asText()));
        assertEquals(front, written);
        assertEquals(snapshots.size(), selection.get("validated").asInt());
        assertEquals(bestValidation, selection.get("chosen_validation_fitness").asDouble(), 0.0);
        assertEquals(bestValidation, result.validationFitness(), 0.0);
    }

    private static List<String> genomes(EvolutionResult result) throws IOException {
        return history(result).stream().map(h -> h.get("genome").toString()).toList();
    }

    @Test
    void perStageSigma0_psStage_searchesAsTheSameSearchSigma0Would() throws IOException {
        String yaml = PS.replace("generations: 3", "generations: 1");
        List<String> global = genomes(run("sigma-global", yaml.replace("seed: 5", "seed: 5\n  sigma0: 0.4"),
                new ArrayList<>()));
        List<String> staged = genomes(run("sigma-ps", yaml.replace("seed: 5",
                "seed: 5\n  sigma0: 0.05\n  dfs: {sigma0: 0.05}\n  ps: {sigma0: 0.4}"), new ArrayList<>()));
        List<String> plain = genomes(run("sigma-default", yaml, new ArrayList<>()));
        assertEquals(global, staged);
        assertFalse(global.equals(plain), "sigma0 0.4 samples other genomes than the default 1/6");
    }

    @Test
    void validationSplitLeftOut_fallsBackToTheSearchSplit_warnedOnceWithTheTaskName() throws IOException {
        Path config = dir.resolve("no-validation.yml");
        Files.writeString(config, PS.replace(EvolveFixture.TASKS, EvolveFixture.TASKS.replace(
                "{search: train, validation: validation, test: test}", "{search: train, test: test}")));
        List<Event> events = new ArrayList<>();
        EvolveTasks.load(EvolveConfigReader.read(config, events::add), events::add);
        List<String> warnings = events.stream().filter(e -> e instanceof Event.Warning)
                .map(e -> ((Event.Warning) e).message()).filter(m -> m.contains("validation")).toList();
        assertEquals(List.of("task words has no validation split (splits.validation): its final recipe is chosen on"
                + " the search split 'train', the documents the search optimised; give the task a split of its own"),
                warnings);
    }

    @Test
    void dareTies_bestYmlStatesTheMaskSeed_andMergeWithItReproducesBestByteForByte() throws IOException {
        EvolutionResult result = run("dare-seed", PS.replace("task_arithmetic", "dare_ties")
                .replace("generations: 3", "generations: 1").replace("seed: 5", "seed: 77"), new ArrayList<>());
        String yaml = Files.readString(result.bestRecipe());
        assertTrue(yaml.startsWith("# evomerge: DARE/DELLA masks drawn with seed 77"), yaml);
        assertTrue(yaml.contains("evomerge merge best.yml OUT_DIR --seed 77"), yaml);
        JsonNode summary = JSON.readTree(Files.readString(result.workDirectory().resolve("summary.json")));
        assertEquals(77, summary.get("mask_seed").asLong());
        Path again = dir.resolve("dare-again").resolve("best");   // the model card names its directory
        Path other = dir.resolve("dare-other-seed").resolve("best");
        for (long seed : new long[] {77, 78}) {
            dev.evomerge.Merge.standard().run(new dev.evomerge.MergeRequest(result.bestRecipe(), seed == 77 ? again : other,
                    seed, dev.evomerge.MergeRequest.DEFAULT_SHARD_SIZE, 1, 1L << 30, false, dir, Map.of()),
                    EventListener.NONE);
        }
        List<Path> files;
        try (var list = Files.list(result.bestModel())) {
            files = list.sorted().toList();
        }
        assertTrue(files.size() >= 3, files.toString());
        for (Path f : files) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(again.resolve(
                    f.getFileName()))), f.getFileName() + " differs");
        }
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(result.bestModel().resolve("model.safetensors")),
                Files.readAllBytes(other.resolve("model.safetensors"))), "another seed draws other masks");
    }
}
