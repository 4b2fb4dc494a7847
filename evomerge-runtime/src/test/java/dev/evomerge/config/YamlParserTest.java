package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.Event;
import java.nio.file.Path;
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
}
