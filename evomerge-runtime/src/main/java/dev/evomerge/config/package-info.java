/**
 * Config files: a position-keeping YAML reader ({@link dev.evomerge.config.YamlParser} and the
 * {@link dev.evomerge.config.YamlNode} tree), the records of {@code merge.yml} and {@code evolve.yml}, their
 * validation, and writing mergekit-compatible YAML back out.
 */
package dev.evomerge.config;
