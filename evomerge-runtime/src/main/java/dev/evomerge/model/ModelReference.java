package dev.evomerge.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A model as a mergekit config names it: {@code path[@revision][+lora_path[@revision]]}. The path is a local
 * directory or a Hugging Face repository id; which one is decided when the reference is resolved, not here.
 * Immutable.
 *
 * @param path the local path or hub id
 * @param revision a branch, tag or commit for hub ids, or null
 * @param lora the LoRA adapter to apply, or null (recognised, refused at resolution)
 */
public record ModelReference(String path, String revision, ModelReference lora) {

    public ModelReference {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("model path is empty");
        }
        if (revision != null && revision.isBlank()) {
            throw new IllegalArgumentException("model revision is empty in '" + path + "@'");
        }
    }

    /** A reference to a path with no revision and no LoRA. */
    public static ModelReference of(String path) {
        return new ModelReference(path, null, null);
    }

    /**
     * Parses mergekit's string form.
     *
     * @throws IllegalArgumentException with mergekit's wording when the text is malformed
     */
    public static ModelReference parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split("\\+", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("Can't parse model reference '" + text + "': more than one '+'");
        }
        ModelReference base = parsePart(parts[0], text);
        if (parts.length == 2) {
            return new ModelReference(base.path, base.revision, parsePart(parts[1], text));
        }
        return base;
    }

    private static ModelReference parsePart(String part, String whole) {
        String[] at = part.split("@", -1);
        if (at.length > 2) {
            throw new IllegalArgumentException("Invalid model path '" + whole + "': more than one '@'");
        }
        if (at[0].isBlank()) {
            throw new IllegalArgumentException("Invalid model path '" + whole + "': the path is empty");
        }
        if (at.length == 2 && at[1].isBlank()) {
            throw new IllegalArgumentException("Invalid model path '" + whole + "': the revision after '@' is empty");
        }
        return new ModelReference(at[0], at.length == 2 ? at[1] : null, null);
    }

    public Optional<String> revisionOpt() {
        return Optional.ofNullable(revision);
    }

    public Optional<ModelReference> loraOpt() {
        return Optional.ofNullable(lora);
    }

    /** The reference without its LoRA part. */
    public ModelReference withoutLora() {
        return new ModelReference(path, revision, null);
    }

    /** mergekit's string form, which {@link #parse} reads back to an equal reference. */
    @Override
    public String toString() {
        String s = revision == null ? path : path + "@" + revision;
        return lora == null ? s : s + "+" + lora;
    }
}
