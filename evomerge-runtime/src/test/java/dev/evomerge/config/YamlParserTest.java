package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class YamlParserTest {

    private static final Path FILE = Path.of("merge.yml");

    private static YamlNode parse(String text) {
        return YamlParser.parse(text, FILE).root();
    }

    @Test
    void parse_nestedDocument_keepsLineColumnAndPath() {
        YamlMapping root = parse("""
                merge_method: ties
                models:
                  - model: a
                    parameters:
                      weight: 0.5
                """).asMapping();
        YamlNode weight = root.require("models").asSequence().get(0).asMapping()
                .require("parameters").asMapping().require("weight");
        assertEquals(5, weight.location().line());
        assertEquals(15, weight.location().column());
        assertEquals("models[0].parameters.weight", weight.location().documentPath());
        assertEquals(0.5, weight.asScalar().asDouble());
    }

    @Test
    void parse_scalarTypes_resolveAsYaml11() {
        YamlMapping m = parse("a: 1\nb: 0.5\nc: true\nd: null\ne: '0.25'\nf: text\ng: ~\nh: 1e-3\n").asMapping();
        assertEquals(YamlScalar.Type.INT, m.require("a").asScalar().type());
        assertEquals(YamlScalar.Type.FLOAT, m.require("b").asScalar().type());
        assertEquals(YamlScalar.Type.BOOL, m.require("c").asScalar().type());
        assertEquals(YamlScalar.Type.NULL, m.get("d").orElseThrow().asScalar().type());
        assertEquals(YamlScalar.Type.STRING, m.require("e").asScalar().type());
        assertEquals(0.25, m.require("e").asScalar().asDouble(), "numeric strings coerce as pydantic does");
        assertEquals(1.0, m.require("c").asScalar().asDouble(), "true coerces to 1.0");
        assertTrue(m.getNonNull("g").isEmpty());
        assertEquals(1e-3, m.require("h").asScalar().asDouble());
    }

    @Test
    void asDouble_nonNumericText_errorNamesPlace() {
        YamlMapping m = parse("parameters:\n  density: lots\n").asMapping();
        var e = assertThrows(ConfigException.class,
                () -> m.require("parameters").asMapping().require("density").asScalar().asDouble());
        assertEquals("merge.yml:2:12 (parameters.density): expected a number but found the text 'lots'",
                e.userMessage());
    }

    @Test
    void parse_badSyntax_errorAtProblemMark() {
        var e = assertThrows(ConfigException.class, () -> parse("models:\n  - model: a\n   bad: [1, 2\n"));
        assertTrue(e.userMessage().startsWith("merge.yml:3:"), e.userMessage());
        assertTrue(e.userMessage().contains("invalid YAML"), e.userMessage());
    }

    @Test
    void parse_duplicateKey_refused() {
        var e = assertThrows(ConfigException.class, () -> parse("a: 1\nb: 2\na: 3\n"));
        assertEquals("merge.yml:3:1 (a): duplicate key 'a' (first at line 1); remove one of them", e.userMessage());
    }

    @Test
    void parse_mergeKey_flattensWithoutOverriding() {
        YamlMapping m = parse("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n").asMapping();
        YamlMapping other = m.require("other").asMapping();
        assertEquals(List.of("y", "x"), List.copyOf(other.keys()));
        assertEquals(3.0, other.require("y").asScalar().asDouble());
        assertEquals(1.0, other.require("x").asScalar().asDouble());
    }

    @Test
    void parse_emptyFile_refused() {
        var e = assertThrows(ConfigException.class, () -> parse("# nothing\n"));
        assertEquals("merge.yml: the file is empty", e.userMessage());
    }

    @Test
    void parse_javaTypeTag_refusedWithoutConstructing() {
        var e = assertThrows(ConfigException.class,
                () -> parse("x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]\n"));
        assertTrue(e.userMessage().startsWith("merge.yml:1:4: invalid YAML: Global tag is not allowed"),
                e.userMessage());
    }

    @Test
    void warnUnknownKeys_reportsEachAtItsKey() {
        YamlMapping m = parse("merge_method: linear\nmodles: []\n").asMapping();
        List<Event> events = new ArrayList<>();
        m.warnUnknownKeys(Set.of("merge_method", "models"), events::add);
        assertEquals(1, events.size());
        assertEquals("merge.yml:2:1 (modles): unknown key 'modles' is ignored", ((Event.Warning) events.get(0)).text());
    }
    @Test
    void parse_scalarResolution_matchesPyYamlSafeLoad() {
        // Types and values as printed by PyYAML 6 (yaml.safe_load) for the same plain scalars.
        YamlMapping m = parse("""
                a: 1e-3
                b: 1.0e-3
                c: 1.0e3
                d: 1:30
                e: 0o7
                f: 010
                g: 0x1F
                h: 0b11
                i: 1_000
                j: 5.
                k: +.inf
                l: 1:30.5
                m: -010
                n: 190:20:30
                o: Off
                """).asMapping();
        assertScalar(m, "a", YamlScalar.Type.STRING, 0.001);
        assertScalar(m, "b", YamlScalar.Type.FLOAT, 0.001);
        assertScalar(m, "c", YamlScalar.Type.STRING, 1000.0);
        assertScalar(m, "d", YamlScalar.Type.INT, 90);
        assertEquals(YamlScalar.Type.STRING, m.require("e").asScalar().type());
        assertScalar(m, "f", YamlScalar.Type.INT, 8);
        assertScalar(m, "g", YamlScalar.Type.INT, 31);
        assertScalar(m, "h", YamlScalar.Type.INT, 3);
        assertScalar(m, "i", YamlScalar.Type.INT, 1000);
        assertScalar(m, "j", YamlScalar.Type.FLOAT, 5.0);
        assertScalar(m, "k", YamlScalar.Type.FLOAT, Double.POSITIVE_INFINITY);
        assertScalar(m, "l", YamlScalar.Type.FLOAT, 90.5);
        assertScalar(m, "m", YamlScalar.Type.INT, -8);
        assertScalar(m, "n", YamlScalar.Type.INT, 685230);
        assertScalar(m, "o", YamlScalar.Type.BOOL, 0.0);
        assertEquals(685230, m.require("n").asScalar().asLong());
    }

    @Test
    void asDouble_numericText_followsPythonFloatGrammar() {
        YamlMapping m = parse("a: ' 1_000.5 '\nb: 'Infinity'\nc: '1f'\nd: '0x10'\ne: '1__0'\n").asMapping();
        assertEquals(1000.5, m.require("a").asScalar().asDouble());
        assertEquals(Double.POSITIVE_INFINITY, m.require("b").asScalar().asDouble());
        for (String key : List.of("c", "d", "e")) {
            assertThrows(ConfigException.class, () -> m.require(key).asScalar().asDouble(), key);
        }
    }

    @Test
    void asText_numberForTextField_refused() {
        YamlMapping m = parse("merge_method: 5\n").asMapping();
        var e = assertThrows(ConfigException.class, () -> m.require("merge_method").asScalar().asText("a name"));
        assertEquals("merge.yml:1:15 (merge_method): expected a name but found the value 5; put it in quotes if it"
                + " is meant as text", e.userMessage());
    }

    private static void assertScalar(YamlMapping m, String key, YamlScalar.Type type, double value) {
        YamlScalar s = m.require(key).asScalar();
        assertEquals(type, s.type(), key);
        assertEquals(value, s.asDouble(), key);
    }

    /** Ten anchored lines of nine aliases each: 9^10 (3.4 billion) nodes once expanded. */
    static String aliasBomb() {
        StringBuilder b = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 10; i++) {
            String prev = "*a" + (i - 1);
            b.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, prev))).append("]\n");
        }
        return b.toString();
    }

    @Test
    void parse_aliasBomb_refusedAtTheLimitWithPosition() {
        var e = assertThrows(ConfigException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> parse(aliasBomb())));
        assertTrue(e.userMessage().startsWith("merge.yml:"), e.userMessage());
        assertTrue(e.userMessage().matches("merge\\.yml:\\d+:\\d+ .*expands into more than 100000 nodes.*"),
                e.userMessage());
    }

    @Test
    void parse_sharedAnchorsBelowTheLimit_expand() {
        YamlMapping m = parse("a: &a [1, 2]\nb: [*a, *a, *a]\n").asMapping();
        assertEquals(3, m.require("b").asSequence().items().size());
        assertEquals(2, m.require("b").asSequence().get(2).asSequence().items().size());
    }
}
