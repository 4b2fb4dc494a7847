package dev.evomerge.merge;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.merge.method.MergeMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code README.md} model card of a merged model, laid out as mergekit writes it: YAML front matter (the
 * Hugging Face models merged, {@code library_name}, tags), the title, the method with its reference link, the base,
 * the other models, and the config verbatim. Unlike mergekit, it never asks the hub whether a name exists: a
 * reference is a hub id when it is not a path that exists locally and has at most one {@code /}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelCard {

    private ModelCard() {
    }

    /**
     * The card text.
     *
     * @param name the title (mergekit uses the output directory's name)
     * @param baseDirectory what relative model paths are checked against
     */
    public static String render(MergeConfig config, String configText, MergeMethod method, String name,
            Path baseDirectory) {
        List<String> hubIds = new ArrayList<>();
        for (ModelSpec m : config.referencedModels()) {
            if (isHubId(m.reference().path(), baseDirectory)) {
                hubIds.add(m.reference().path());
            }
        }
        Optional<ModelSpec> base = method.name().equals("slerp") ? Optional.empty() : config.baseModel();
        StringBuilder b = new StringBuilder("---\n");
        b.append("base_model:");
        if (hubIds.isEmpty()) {
            b.append(" []\n");
        } else {
            b.append('\n');
            hubIds.forEach(id -> b.append("- ").append(id).append('\n'));
        }
        b.append("library_name: transformers\ntags:\n- mergekit\n- merge\n\n---\n");
        b.append("# ").append(name).append("\n\n");
        b.append("This is a merge of pre-trained language models created using"
                + " [mergekit](https://github.com/cg123/mergekit).\n\n");
        b.append("## Merge Details\n### Merge Method\n\n");
        String methodText = method.referenceUrl().filter(u -> !u.isBlank())
                .map(u -> "[" + method.prettyName() + "](" + u + ")").orElse(method.prettyName());
        b.append("This model was merged using the ").append(methodText).append(" merge method");
        base.ifPresent(m -> b.append(" using ").append(link(m, baseDirectory)).append(" as a base"));
        b.append(".\n\n### Models Merged\n\nThe following models were included in the merge:\n");
        List<String> bullets = new ArrayList<>();
        for (ModelSpec m : config.referencedModels()) {
            if (base.isEmpty() || !base.get().equals(m)) {
                bullets.add("* " + link(m, baseDirectory));
            }
        }
        b.append(String.join("\n", bullets)).append("\n\n### Configuration\n\n");
        b.append("The following YAML configuration was used to produce this model:\n\n```yaml\n");
        b.append(configText).append("\n```\n");
        return b.toString();
    }

    private static String link(ModelSpec m, Path baseDirectory) {
        String path = m.reference().path();
        String text = isHubId(path, baseDirectory) ? "[" + path + "](https://huggingface.co/" + path + ")" : path;
        if (m.reference().lora() != null) {
            text += " + " + m.reference().lora().path();
        }
        return text;
    }

    static boolean isHubId(String path, Path baseDirectory) {
        if (path.isEmpty() || path.charAt(0) == '/' || path.charAt(0) == '~'
                || path.chars().filter(c -> c == '/').count() > 1) {
            return false;
        }
        return !Files.exists(baseDirectory.resolve(path));
    }
}
