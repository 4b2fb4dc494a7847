package dev.evomerge.eval.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.TypeConvertingMapELResolver;
import com.hubspot.jinjava.el.ext.JinjavaBeanELResolver;
import com.hubspot.jinjava.el.ext.JinjavaListELResolver;
import com.hubspot.jinjava.interpret.Context.Library;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.Importable;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.random.RandomNumberGeneratorStrategy;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jinjava.javax.el.ArrayELResolver;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.MethodNotFoundException;

/**
 * Renders Jinja templates with Jinjava, set up to behave as the Jinja2 environments users' templates were written
 * for, and locked down:
 *
 * <ul>
 *   <li>{@link #forTasks()}: lm-evaluation-harness's environment for {@code doc_to_text} and friends
 *       ({@code StrictUndefined}, so an unknown field or a null value is an error; {@code keep_trailing_newline};
 *       no block trimming; Jinja2's HTML-safe {@code tojson}).</li>
 *   <li>{@link #forChat()}: transformers' chat-template environment ({@code trim_blocks}, {@code lstrip_blocks},
 *       lenient undefined, one trailing newline dropped, {@code raise_exception}, {@code strftime_now} and
 *       transformers' {@code tojson}).</li>
 * </ul>
 *
 * <p>Both print values with Python's {@code str()} and give strings, dicts and lists their Python methods
 * ({@link PythonMethods}). Safety: templates cannot read files or the classpath ({@code include}, {@code import},
 * {@code from} and {@code extends} are disabled and the resource locator refuses), cannot call Java methods (only the
 * Python methods above), cannot reach the network, re-render no data as templates, and output, lists and ranges are
 * capped.
 *
 * <p>Thread-safe: renders are serialised on the instance (Jinjava resets shared state after each render).
 */
public final class TemplateEngine {

    private static final long MAX_OUTPUT_CHARS = 16L << 20;
    private static final Set<String> FILE_TAGS = Set.of("include", "import", "from", "extends");

    private final Jinjava jinjava;
    private final JinjavaConfig probe;
    private final boolean chat;

    private TemplateEngine(boolean chat) {
        this.chat = chat;
        jinjava = new Jinjava(config(chat, !chat));
        // the syntax check renders once with no document: unknown names are expected then, and ignored
        probe = config(chat, false);
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new IOException("templates may not read files ('" + name + "')");
        });
        jinjava.registerFilter(new JsonFilter(!chat));
        if (chat) {
            try {
                jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception",
                        TemplateFunctions.class.getMethod("raiseException", Object.class)));
                jinjava.registerFunction(new ELFunctionDefinition("", "strftime_now",
                        TemplateFunctions.class.getMethod("strftimeNow", String.class)));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("template function missing", e);
            }
        }
    }

    private static JinjavaConfig config(boolean chat, boolean failOnUnknown) {
        return JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(failOnUnknown)
                .withTrimBlocks(chat)
                .withLstripBlocks(chat)
                .withNestedInterpretationEnabled(false)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .withElResolver(resolvers())
                .withInterperterFactory(new PythonInterpreterFactory())
                .withDisabled(Map.of(Library.TAG, FILE_TAGS))
                .withRandomNumberGeneratorStrategy(RandomNumberGeneratorStrategy.CONSTANT_ZERO)
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withMaxStringLength(MAX_OUTPUT_CHARS)
                .withMaxListSize(1_000_000)
                .withMaxMapSize(1_000_000)
                .withRangeLimit(100_000)
                .withMaxRenderDepth(10)
                .build();
    }

    /** The environment lm-evaluation-harness renders task templates in. */
    public static TemplateEngine forTasks() {
        return new TemplateEngine(false);
    }

    /** The environment transformers renders chat templates in. */
    public static TemplateEngine forChat() {
        return new TemplateEngine(true);
    }

    /**
     * Renders {@code template} with {@code variables}.
     *
     * @throws TemplateException with Jinjava's reason (line and what went wrong) when it cannot be rendered
     */
    public synchronized String render(String template, Map<String, ?> variables) {
        String source = chat ? withoutTrailingNewline(template) : template;
        Map<String, Object> bindings = new HashMap<>();
        // Python spells the constants with capitals; Jinja2 accepts both spellings
        bindings.put("True", Boolean.TRUE);
        bindings.put("False", Boolean.FALSE);
        bindings.putAll(variables);
        RenderResult result = jinjava.renderForResult(source, bindings);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(error);
            }
        }
        return result.getOutput();
    }

    /**
     * The first syntax error of {@code template}, as Jinjava words it with its line ("line 1: Unclosed token"), or
     * empty when it has none: unclosed tags, expressions and comments, end tags without a start or starts without an
     * end, unknown tags, and malformed expressions where a render with no document reaches them. Lets a task file be
     * refused when it is read, as jinja2 refuses a template it cannot compile, instead of rendering garbage prompts.
     */
    public synchronized Optional<String> syntaxError(String template) {
        String source = chat ? withoutTrailingNewline(template) : template;
        JinjavaInterpreter interpreter = jinjava.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        Node root;
        try {
            root = interpreter.parse(source);
        } catch (RuntimeException e) {
            return Optional.of(oneLine(e.getMessage()));
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        Optional<String> parsed = firstSyntaxError(interpreter.getErrors()).or(() -> emptyLoop(root));
        if (parsed.isPresent()) {
            return parsed;
        }
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("True", Boolean.TRUE);
        bindings.put("False", Boolean.FALSE);
        try {
            return firstSyntaxError(jinjava.renderForResult(source, bindings, probe).getErrors());
        } catch (RuntimeException e) {
            return Optional.empty(); // a render failure without a document is not a syntax error
        }
    }

    /** {@code {% for x in %}}: jinja2 refuses it, Jinjava loops over nothing. */
    private static Optional<String> emptyLoop(Node node) {
        if (node instanceof TagNode tag && tag.getName().equals("for")
                && !tag.getHelpers().strip().matches("(?s).+\\sin\\s+\\S.*")) {
            return Optional.of("line " + tag.getLineNumber() + ": Syntax error in '" + oneLine(tag.getMaster().getImage())
                    + "': expected 'NAME in ITERABLE'");
        }
        for (Node child : node.getChildren()) {
            Optional<String> found = emptyLoop(child);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> firstSyntaxError(List<TemplateError> errors) {
        return errors.stream().filter(e -> e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR).findFirst()
                .map(e -> (e.getLineno() > 0 ? "line " + e.getLineno() + ": " : "") + oneLine(e.getMessage()));
    }

    private static String oneLine(String s) {
        return s == null ? "syntax error" : s.replaceAll("\\s+", " ").strip();
    }

    private static TemplateException failure(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof TemplateFunctions.Raised raised) {
                return new TemplateException(raised.getMessage(), true);
            }
        }
        String message = error.getMessage();
        if (message != null && message.contains("TemplateFunctions$Raised")) {
            return new TemplateException(message.substring(message.lastIndexOf(':') + 1).strip(), true);
        }
        String what = message == null ? error.getReason().toString()
                : message.replace("UnknownTokenException: Unknown token found: ",
                        "unknown variable, or a value that is null: ");
        String line = error.getLineno() > 0 ? "line " + error.getLineno() + ": " : "";
        return new TemplateException(line + what, false);
    }

    /** Jinja2 without {@code keep_trailing_newline} drops one final line break of the template source. */
    private static String withoutTrailingNewline(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        if (s.endsWith("\n") || s.endsWith("\r")) {
            return s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static ELResolver resolvers() {
        CompositeELResolver r = new CompositeELResolver();
        r.add(new ArrayELResolver(true));
        r.add(new JinjavaListELResolver(true));
        r.add(new TypeConvertingMapELResolver(true));
        r.add(new PythonMethods());
        r.add(new PropertiesOnly());
        return r;
    }

    /**
     * Reads properties of Jinjava's own objects ({@code loop.index}, a namespace's fields) and lets Jinjava run its
     * own filters and tests (which it calls as methods); calls no other method.
     */
    private static final class PropertiesOnly extends JinjavaBeanELResolver {

        PropertiesOnly() {
            super(true);
        }

        @Override
        public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes,
                Object[] params) {
            if (base instanceof Importable) {
                return super.invoke(context, base, method, paramTypes, params);
            }
            String type = base == null ? "nothing" : base.getClass().getSimpleName();
            throw new MethodNotFoundException("calling '" + method + "' on " + type
                    + " is not available in templates");
        }
    }
}
