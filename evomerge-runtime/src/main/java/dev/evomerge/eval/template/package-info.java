/**
 * Jinja templates rendered with Jinjava as Jinja2 renders them for lm-evaluation-harness and transformers
 * ({@link dev.evomerge.eval.template.TemplateEngine}), with Python's printing
 * ({@link dev.evomerge.eval.template.PythonValues}), literals ({@link dev.evomerge.eval.template.PythonLiteral}) and
 * string methods, and no access to files, the network or Java methods.
 */
package dev.evomerge.eval.template;
