package dev.evomerge.eval.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.TypeConvertingMapELResolver;
import com.hubspot.jinjava.el.ext.JinjavaBeanELResolver;
import com.hubspot.jinjava.el.ext.JinjavaListELResolver;
import com.hubspot.jinjava.interpret.Context.Library;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.Importable;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.random.RandomNumberGeneratorStrategy;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
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
    private final boolean chat;

    private TemplateEngine(boolean chat) {
        this.chat = chat;
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(!chat)
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
        jinjava = new Jinjava(config);
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
