/**
 * JSON as the model files and Python tools have it: {@link dev.evomerge.json.JsonTrees} reads JSON into Jackson
 * trees straight from the streaming parser (fast for the headers, indexes and {@code config.json} a merge reads);
 * {@link dev.evomerge.json.PythonJsonWriter} writes trees the way Python's {@code json.dumps(obj, indent=2)} does,
 * so the files evomerge writes look like the ones transformers, mergekit and lm-evaluation-harness write. Layer 1:
 * imports only {@code diag}.
 */
package dev.evomerge.json;
