package dev.evomerge.eval.template;

/**
 * A template that could not be rendered: a syntax error, an unknown variable (task templates are strict, as
 * lm-evaluation-harness's Jinja2 environment with {@code StrictUndefined} is), a refused method or file access, or
 * a chat template's own {@code raise_exception}. Callers add what the template is and which document it was
 * rendered for.
 */
public final class TemplateException extends RuntimeException {

    private final boolean raisedByTemplate;

    TemplateException(String message, boolean raisedByTemplate) {
        super(message, null, false, false);
        this.raisedByTemplate = raisedByTemplate;
    }

    /** Whether the template itself refused its input with {@code raise_exception(...)}. */
    public boolean raisedByTemplate() {
        return raisedByTemplate;
    }
}
