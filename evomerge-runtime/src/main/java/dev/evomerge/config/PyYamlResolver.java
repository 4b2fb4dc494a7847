package dev.evomerge.config;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Resolves plain scalars to types exactly as PyYAML's {@code safe_load} does, which is how mergekit reads a config.
 * SnakeYAML's own YAML 1.1 resolver differs in a few places that change meaning: it reads {@code 1e-3} and
 * {@code 1} (via its float pattern) differently, where PyYAML's float needs a dot and a signed exponent. The
 * patterns and their order are PyYAML 6's ({@code yaml/resolver.py}).
 *
 * <p>Immutable after construction and thread-safe.
 */
final class PyYamlResolver extends Resolver {

    static final Pattern PY_BOOL = Pattern.compile(
            "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$");
    static final Pattern PY_FLOAT = Pattern.compile("^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)"
            + "|\\.(?:nan|NaN|NAN))$");
    static final Pattern PY_INT = Pattern.compile("^(?:[-+]?0b[0-1_]+"
            + "|[-+]?0[0-7_]+"
            + "|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$");
    static final Pattern PY_NULL = Pattern.compile("^(?:~|null|Null|NULL|)$");
    static final Pattern PY_TIMESTAMP = Pattern.compile("^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
            + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
            + "(?:[Tt]|[ \\t]+)[0-9][0-9]?"
            + ":[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
            + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$");
    static final Pattern PY_VALUE = Pattern.compile("^(?:=)$");

    @Override
    protected void addImplicitResolvers() {
        addImplicitResolver(Tag.BOOL, PY_BOOL, "yYnNtTfFoO");
        addImplicitResolver(Tag.FLOAT, PY_FLOAT, "-+0123456789.");
        addImplicitResolver(Tag.INT, PY_INT, "-+0123456789");
        addImplicitResolver(Tag.MERGE, MERGE, "<");
        addImplicitResolver(Tag.NULL, PY_NULL, "~nN\0");
        addImplicitResolver(Tag.NULL, EMPTY, null);
        addImplicitResolver(Tag.TIMESTAMP, PY_TIMESTAMP, "0123456789");
        // PyYAML resolves '=' to its value tag, which safe_load cannot construct; here it stays text.
        addImplicitResolver(Tag.YAML, YAML, "!&*");
    }

    /** Whether PyYAML would read {@code text}, written as a plain (unquoted) scalar, as a string. */
    boolean isPlainString(String text) {
        return resolve(NodeId.scalar, text, true).equals(Tag.STR) && !PY_VALUE.matcher(text).matches();
    }
}
