package dev.evomerge.infer;

/**
 * What a model's log-likelihood calls have run so far: the token positions computed by its decoder layers, and the
 * cells of the passes that computed them (rows times width, padding included). The difference is padding; tokens
 * that several requests share (a stem, a document's context) count once, when they run.
 *
 * @param requests requests answered
 * @param tokens real token positions run through the layers
 * @param cells positions of every pass, padding included
 */
public record ScoringTokens(long requests, long tokens, long cells) {
}
