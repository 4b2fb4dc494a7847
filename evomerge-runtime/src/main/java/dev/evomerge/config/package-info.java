/**
 * Config files: a position-keeping YAML reader ({@link dev.evomerge.config.YamlParser} and the
 * {@link dev.evomerge.config.YamlNode} tree, resolving scalars as PyYAML does), the records of a mergekit merge
 * config ({@link dev.evomerge.config.MergeConfig}, read with {@link dev.evomerge.config.MergeConfigFile#read}),
 * their normalisation into output slices and layers with {@code t} ({@link dev.evomerge.config.NormalizedConfig}),
 * parameter lookup with mergekit's precedence ({@link dev.evomerge.config.ParameterResolver}), and writing
 * mergekit-compatible YAML back out ({@link dev.evomerge.config.MergeConfigWriter}).
 *
 * <p>Every record remembers where it is written ({@link dev.evomerge.diag.SourceLocation}) so that later errors can
 * point into the YAML; equality ignores those positions and compares meaning.
 */
package dev.evomerge.config;
