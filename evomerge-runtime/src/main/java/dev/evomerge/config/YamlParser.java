package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.io.InputFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads a YAML file into {@link YamlNode}s that keep their positions. SnakeYAML only composes the node graph: its
 * composer runs alone, with no constructor at all (stricter than the {@code SafeConstructor} the design allows, and
 * never the default one), so no Java object is ever built from the document. Resolves scalar types exactly as
 * PyYAML's {@code safe_load} does (YAML 1.1, {@link PyYamlResolver}), so a value means here what it means to
 * mergekit; flattens {@code <<} merge keys, and refuses duplicate keys.
 *
 * <p>Stateless and thread-safe.
 */
public final class YamlParser {

    private static final int MAX_ALIASES = 100;

    /**
     * The most nodes a document may expand into, aliases counted at every place they are used. A merge recipe for
     * an 80-layer model with per-slice parameters stays under a few thousand; the limit stops an alias bomb (a few
     * anchored lines that expand into billions of nodes) before it exhausts memory, as safe YAML loaders do.
     */
    public static final int MAX_NODES = 100_000;

    private YamlParser() {
    }

    /** Reads and parses a file. A missing or unreadable file is an {@link InputException} naming it. */
    public static YamlDocument parse(Path file) {
        byte[] bytes;
        InputFiles.requireRegular(file);
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file, "file not found", "check the path");
        } catch (IOException e) {
            throw new InputException(file, "cannot read the file: " + e.getMessage(), null, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(SourceLocation.of(file), "the file is not valid UTF-8 text",
                    "save it as UTF-8");
        }
        return parse(text, file);
    }

    /** Parses text; {@code file} names it in messages. */
    public static YamlDocument parse(String text, Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            // only the node tree: what Yaml.compose does, without the constructor and representer it would make
            // (and the classes they load, a tenth of a merge's start-up)
            root = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), new PyYamlResolver(),
                    options).getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new ConfigException(at(file, mark, ""), "invalid YAML: " + oneLine(problem),
                    "fix the YAML syntax there");
        } catch (YAMLException e) {
            throw new ConfigException(SourceLocation.of(file), "invalid YAML: " + oneLine(e.getMessage()));
        }
        if (root == null) {
            throw new ConfigException(SourceLocation.of(file), "the file is empty");
        }
        return new YamlDocument(file, text, new Converter(file).convert(root, "", 0));
    }

    /** Converts one document, counting the nodes it expands into. Not thread-safe: one per document. */
    private static final class Converter {

        private final Path file;
        private int nodes;

        Converter(Path file) {
            this.file = file;
        }

        private YamlNode convert(Node node, String path, int depth) {
            if (depth > 200) {
                throw new ConfigException(at(file, node.getStartMark(), path), "the document is nested too deeply");
            }
            if (++nodes > MAX_NODES) {
                throw new ConfigException(at(file, node.getStartMark(), path), "the document expands into more than "
                        + MAX_NODES + " nodes (its aliases repeat anchored parts too often)",
                        "write the repeated parts out, or use fewer nested aliases");
            }
            SourceLocation loc = at(file, node.getStartMark(), path);
            return switch (node) {
                case ScalarNode s -> new YamlScalar(s.getValue(), typeOf(s), loc);
                case SequenceNode s -> {
                    List<YamlNode> items = new ArrayList<>();
                    List<Node> values = s.getValue();
                    for (int i = 0; i < values.size(); i++) {
                        items.add(convert(values.get(i), path + "[" + i + "]", depth + 1));
                    }
                    yield new YamlSequence(items, loc);
                }
                case MappingNode m -> convertMapping(m, path, depth, loc);
                default -> throw new ConfigException(loc, "unsupported YAML node " + node.getNodeId());
            };
        }

        private YamlMapping convertMapping(MappingNode m, String path, int depth, SourceLocation loc) {
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            Map<String, SourceLocation> keyLocations = new HashMap<>();
            List<YamlMapping> merged = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                    throw new ConfigException(at(file, t.getKeyNode().getStartMark(), path),
                            "a mapping key must be a plain value");
                }
                String key = keyNode.getValue();
                if (keyNode.getTag().equals(Tag.MERGE)) {
                    collectMerged(convert(t.getValueNode(), path, depth + 1), merged);
                    continue;
                }
                String childPath = path.isEmpty() ? key : path + "." + key;
                SourceLocation keyLoc = at(file, keyNode.getStartMark(), childPath);
                if (entries.containsKey(key)) {
                    throw new ConfigException(keyLoc, "duplicate key '" + key + "' (first at line "
                            + keyLocations.get(key).line() + ")", "remove one of them");
                }
                keyLocations.put(key, keyLoc);
                entries.put(key, convert(t.getValueNode(), childPath, depth + 1));
            }
            for (YamlMapping source : merged) {
                for (var e : source.entries().entrySet()) {
                    if (!entries.containsKey(e.getKey())) {
                        entries.put(e.getKey(), e.getValue());
                        keyLocations.put(e.getKey(), source.keyLocation(e.getKey()));
                    }
                }
            }
            return new YamlMapping(new LinkedHashMap<>(entries), keyLocations, loc);
        }
    }

    private static void collectMerged(YamlNode value, List<YamlMapping> into) {
        switch (value) {
            case YamlMapping mm -> into.add(mm);
            case YamlSequence seq -> seq.items().forEach(item -> into.add(item.asMapping()));
            case YamlScalar s -> throw s.error("a '<<' merge key needs a mapping or a list of mappings");
        }
    }

    private static YamlScalar.Type typeOf(ScalarNode s) {
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return YamlScalar.Type.NULL;
        } else if (tag.equals(Tag.BOOL)) {
            return YamlScalar.Type.BOOL;
        } else if (tag.equals(Tag.INT)) {
            return YamlScalar.Type.INT;
        } else if (tag.equals(Tag.FLOAT)) {
            return YamlScalar.Type.FLOAT;
        }
        return YamlScalar.Type.STRING;
    }

    private static SourceLocation at(Path file, Mark mark, String path) {
        if (mark == null) {
            return SourceLocation.of(file, path);
        }
        return new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1, path);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
