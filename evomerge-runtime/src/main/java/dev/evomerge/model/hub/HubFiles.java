package dev.evomerge.model.hub;

import dev.evomerge.diag.InputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which of a repository's files a merge or an evaluation needs: {@code config.json}, the tokenizer and generation
 * files, and the safetensors weights (the shards an index names, else the safetensors files at the top level).
 * Files in sub-folders (ONNX exports, original checkpoints) and other weight formats are left alone.
 */
final class HubFiles {

    /** Small files fetched when the repository has them. */
    static final Set<String> METADATA = Set.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "tokenizer.model",
            "vocab.json", "vocab.txt", "merges.txt", "chat_template.jinja", "chat_template.json");

    private HubFiles() {
    }

    /** The metadata files and the weight index (when there is one) of a repository's files. */
    static List<String> metadata(Collection<String> files) {
        List<String> out = new ArrayList<>();
        for (String f : files) {
            if (METADATA.contains(f) || isIndex(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The top-level safetensors index, or null: {@code model.safetensors.index.json} first. */
    static String index(Collection<String> files) {
        if (files.contains("model.safetensors.index.json")) {
            return "model.safetensors.index.json";
        }
        return files.stream().filter(HubFiles::isIndex).sorted().findFirst().orElse(null);
    }

    /**
     * The top-level safetensors files when there is no index.
     *
     * @throws InputException when the repository has no safetensors weights (pickle only, or none)
     */
    static List<String> weights(String repo, String revision, Collection<String> files) {
        List<String> safetensors = new ArrayList<>();
        List<String> pickles = new ArrayList<>();
        for (String f : files) {
            if (f.contains("/")) {
                continue;
            }
            String lower = f.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".safetensors")) {
                safetensors.add(f);
            } else if (lower.endsWith(".bin") || lower.endsWith(".pt") || lower.endsWith(".pth")
                    || lower.endsWith(".ckpt")) {
                pickles.add(f);
            }
        }
        if (safetensors.isEmpty() && !pickles.isEmpty()) {
            throw new InputException("model '" + repo + "@" + revision + "' has only PyTorch pickle weights ("
                    + String.join(", ", pickles.stream().sorted().limit(3).toList())
                    + (pickles.size() > 3 ? ", ..." : "") + "), which evomerge does not load",
                    "convert them to safetensors (in Python: AutoModelForCausalLM.from_pretrained(...)"
                            + ".save_pretrained(dir, safe_serialization=True)) and give that directory, or use the"
                            + " Hub's safetensors conversion (a refs/pr revision)");
        }
        if (safetensors.isEmpty()) {
            throw new InputException("model '" + repo + "@" + revision + "' has no safetensors weights at its top"
                    + " level", "check that the repository is a model checkpoint, or give a local directory");
        }
        safetensors.sort(null);
        return safetensors;
    }

    /** The shards an index's {@code weight_map} names, each once, in order of first appearance. */
    static List<String> shards(Collection<String> weightMapValues) {
        return List.copyOf(new LinkedHashSet<>(weightMapValues));
    }

    private static boolean isIndex(String f) {
        return !f.contains("/") && f.endsWith(".safetensors.index.json");
    }
}
