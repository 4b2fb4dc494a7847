package dev.evomerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.cli.EvomergeCli;
import dev.evomerge.event.EventListener;
import dev.evomerge.search.evolve.EvolutionResult;
import dev.evomerge.search.evolve.EvolveFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report of a real hybrid run (parameter space, then data-flow space with the path length as a second
 * objective): its content checked against history.jsonl and summary.json, and the page rendered by headless
 * Chromium, which must log no console error and draw every chart; the screenshot is kept in
 * {@code target/report-screenshot/}.
 */
@Tag("chromium")
class ReportTest {

    @TempDir
    static Path dir;
    static EvolutionResult result;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String HYBRID = """
            genome:
              models: [models/a, models/b]
              base_model: models/base
              merge_method: ties
              dtype: float32
            dfs:
              models: [ps, models/a]
              repeats: 1
              scaling: per_step
            search:
              optimizer: nsga2
              population: 6
              budget: {generations: 3}
              seed: 4
              path_length_objective: true
            """ + EvolveFixture.TASKS;

    @BeforeAll
    static void run() throws IOException {
        EvolveFixture.create(dir);
        Files.writeString(dir.resolve("hybrid.yml"), HYBRID);
        result = Evolve.standard().run(new EvolveRequest(dir.resolve("hybrid.yml"), dir.resolve("work"), false,
                OptionalLong.empty(), OptionalLong.empty(), dir, Map.of("EVOMERGE_CACHE",
                        dir.resolve("cache").toString())), EventListener.NONE);
    }

    private static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void page_drawsEveryPartFromTheRunsFiles() throws IOException {
        String html = Files.readString(result.workDirectory().resolve("report/index.html"));
        List<JsonNode> history = new ArrayList<>();
        for (String line : Files.readAllLines(result.workDirectory().resolve("history.jsonl"))) {
            history.add(JSON.readTree(line));
        }
        JsonNode summary = JSON.readTree(Files.readString(result.workDirectory().resolve("summary.json")));
        assertTrue(html.contains(history.size() + " evaluations"), "header counts the evaluations");
        assertTrue(html.contains("finished"));
        // self-contained: no script, no link, nothing fetched
        assertFalse(html.contains("<script") || html.contains("<link") || html.contains("src=")
                || html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"), "self-contained");
        // a fitness chart per stage, and one per further objective where there are several (the path length)
        int psObjectives = history.stream().filter(h -> h.get("stage").asText().equals("ps")).findFirst()
                .orElseThrow().get("objectives").size();
        assertEquals(1, psObjectives);
        assertEquals(1 + 1 + 1, count(html, "<svg class=\"fitness-chart\""));
        assertTrue(html.contains("Objective 2: path length (lower is better)"));
        long shortest = history.stream().filter(h -> h.get("stage").asText().equals("dfs")
                && h.get("generation").asLong() == 0 && h.get("error").isNull())
                .mapToLong(h -> h.get("objectives").get(1).asLong()).min().orElseThrow();
        assertTrue(html.contains("<title>generation 0, best " + shortest + "</title>"), "shortest path " + shortest);
        long psGenerations = history.stream().filter(h -> h.get("stage").asText().equals("ps"))
                .map(h -> h.get("generation").asLong()).distinct().count();
        assertEquals(3, psGenerations);
        assertTrue(html.contains("<title>generation 2, best "), "points carry their values");
        // Pareto front of the data-flow stage (fitness against path length)
        assertEquals(1, count(html, "<svg class=\"pareto-chart\""));
        assertTrue(count(html, "<circle class=\"front\"") >= 1);
        // heatmaps: one cell per parameter-space gene (groups × models × sets × genes)
        int genes = history.getFirst().get("genome").size();
        Matcher heat = Pattern.compile("<svg class=\"heatmap\".*?</svg>", Pattern.DOTALL).matcher(html);
        int cells = 0;
        while (heat.find()) {
            cells += count(heat.group(), "<rect class=\"cell\"");
        }
        assertEquals(genes, cells);
        // data-flow path: one cell per step
        assertTrue(count(html, "<title>step \\d+: ") >= 2, "the path has its steps");
        // the table: sources, untuned merge, chosen recipe, with the chosen recipe's validation fitness
        assertTrue(html.contains("<th>chosen recipe</th>") && html.contains("<th>untuned merge</th>"));
        assertTrue(html.contains("<th>source models/a</th>"));
        double fitness = summary.get("best").get("validation").get("fitness").asDouble();
        assertTrue(html.contains("<tr class=\"chosen\"><th>chosen recipe</th>"), "chosen row marked");
        String chosen = html.substring(html.indexOf("<th>chosen recipe</th>"));
        assertTrue(chosen.contains(">" + dev.evomerge.report.RunReport.num(fitness) + "</td>"), "chosen fitness "
                + fitness + " in " + chosen.substring(0, 300));
    }

    @Test
    void cli_redrawsTheReport_fromHistoryAlone_forAStoppedRun() throws IOException {
        Path copy = dir.resolve("stopped");
        Files.createDirectories(copy);
        List<String> lines = Files.readAllLines(result.workDirectory().resolve("history.jsonl"));
        Files.write(copy.resolve("history.jsonl"), lines.subList(0, 12));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // the CLI resolves relative model paths against the working directory: a config with absolute ones
        Files.writeString(dir.resolve("hybrid-abs.yml"), HYBRID.replace("models/", dir.resolve("models") + "/")
                .replace("tasks/", dir.resolve("tasks") + "/"));
        int status = EvomergeCli.run(new String[] {"report", copy.toString(), "--config",
                dir.resolve("hybrid-abs.yml").toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, status, err.toString());
        String html = Files.readString(copy.resolve("report/index.html"));
        assertTrue(html.contains("12 evaluations") && html.contains("running or stopped"), html.substring(0, 600));
        assertTrue(html.contains("class=\"heatmap\""));
        assertEquals(EvomergeCli.USER_ERROR, EvomergeCli.run(new String[] {"report", dir.resolve("nothing")
                .toString()}, new PrintWriter(out), new PrintWriter(err)));
        assertTrue(err.toString().contains("holds no evolve run"), err.toString());
    }

    @Test
    void chromium_rendersThePageWithoutConsoleErrorsAndWithNoEmptyChart() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            fail("this test needs Debian's chromium (apt-get install -y chromium; .ci/packages.sh installs it)");
        }
        Path page = result.workDirectory().resolve("report/index.html");
        Path shots = Path.of("target", "report-screenshot").toAbsolutePath();
        Files.createDirectories(shots);
        Path png = shots.resolve("index.png");
        Files.deleteIfExists(png);
        String log = chromium(chromium, "--screenshot=" + png, "--window-size=1280,2300", page.toUri().toString());
        assertTrue(Files.size(png) > 20_000, "screenshot written: " + log);
        String dom = chromium(chromium, "--dump-dom", page.toUri().toString());
        for (String line : log.lines().toList()) {
            if (line.contains("CONSOLE") || line.contains("Failed to load resource") || line.contains("Uncaught")) {
                fail("console error while rendering the report: " + line);
            }
        }
        Matcher svg = Pattern.compile("<svg class=\"([a-z-]+)\"[^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(dom);
        int charts = 0;
        while (svg.find()) {
            charts++;
            String body = svg.group(2);
            boolean drawn = body.contains("<polyline") || body.contains("<rect class=\"cell\"")
                    || body.contains("<circle");
            assertTrue(drawn, "empty chart " + svg.group(1));
        }
        assertTrue(charts >= 6, "charts rendered: " + charts);
        Files.copy(page, shots.resolve("index.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String chromium(Path chromium, String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("chromium.out");
        Path stderr = dir.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + Files.readString(stderr));
        }
        assertEquals(0, p.exitValue(), Files.readString(stderr));
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        return String.join("\n", List.of(args).contains("--dump-dom") ? Files.readString(stdout) : "", err);
    }
}
