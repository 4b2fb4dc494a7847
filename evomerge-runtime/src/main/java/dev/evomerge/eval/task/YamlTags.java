package dev.evomerge.eval.task;

import dev.evomerge.config.YamlDocument;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;
import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Finds YAML tags such as lm-evaluation-harness's {@code !function utils.process_docs}, which name Python code, and
 * refuses them at their position. The position-keeping reader keeps no tags, so this scans the parser's events
 * (nothing is constructed).
 *
 * <p>Stateless and thread-safe.
 */
final class YamlTags {

    private YamlTags() {
    }

    static void refuseCustomTags(YamlDocument doc) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (Event e : yaml.parse(new StringReader(doc.text()))) {
            String tag = switch (e) {
                case ScalarEvent s -> s.getTag();
                case CollectionStartEvent c -> c.getTag();
                default -> null;
            };
            if (tag != null && tag.startsWith("!") && !tag.startsWith("!!")) {
                Mark mark = e.getStartMark();
                SourceLocation at = new SourceLocation(doc.file(), mark.getLine() + 1, mark.getColumn() + 1, "");
                if (tag.equals("!function")) {
                    throw new ConfigException(at, "!function names Python code, which evomerge does not run",
                            "express it as a Jinja template (doc_to_text, doc_to_target, doc_to_choice) or prepare"
                                    + " the data files instead");
                }
                throw new ConfigException(at, "the YAML tag " + tag + " is not supported", "remove the tag");
            }
        }
    }
}
