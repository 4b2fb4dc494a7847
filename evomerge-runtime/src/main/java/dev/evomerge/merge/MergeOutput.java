package dev.evomerge.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.config.ChatTemplate;
import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.config.TokenizerSetting;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.InputException;
import dev.evomerge.event.EventListener;
import dev.evomerge.json.PythonJsonWriter;
import dev.evomerge.model.TokenizerConfig;
import dev.evomerge.model.TokenizerFiles;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a merged model besides its weights, as mergekit writes them: {@code config.json}, the tokenizer
 * files of the donor (or of the {@code tokenizer_source} model), {@code mergekit_config.yml} (the config text byte for
 * byte) and the {@code README.md} model card.
 *
 * <p>Stateless and thread-safe.
 */
public final class MergeOutput {

    private MergeOutput() {
    }

    /** Writes the non-weight files into the staging directory. */
    public static void writeOtherFiles(MergePlan plan, MergeConfigFile file, StagedDirectory out, Path baseDirectory,
            EventListener events) {
        out.writeFile("config.json", plan.outputConfig().toBytes());
        Path tokenizerDonor = tokenizerDonor(plan);
        List<String> copied = TokenizerFiles.copy(tokenizerDonor, out.path());
        if (copied.isEmpty()) {
            events.warn("the donor model " + tokenizerDonor + " has no tokenizer to copy (tokenizer_config.json with"
                    + " tokenizer.json or tokenizer.model)");
        }
        plan.config().chatTemplate().ifPresent(t -> applyChatTemplate(plan, t, out.path()));
        out.writeFile("mergekit_config.yml", file.text().getBytes(StandardCharsets.UTF_8));
        String name = out.target().getFileName().toString();
        out.writeFile("README.md", ModelCard.render(plan.config(), file.text(), plan.method(), name, baseDirectory)
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The model whose tokenizer is copied: the donor, or the {@code tokenizer_source} model (one of the merge or
     * another). Vocabulary surgery is not supported yet, so a tokenizer source is accepted only when every input has
     * the same {@code tokenizer.json} as it.
     */
    public static Path tokenizerDonor(MergePlan plan) {
        Path source = plan.tokenizerSource();
        if (plan.config().tokenizer().isEmpty()) {
            return source;
        }
        TokenizerSetting setting = plan.config().tokenizer().get();
        byte[] reference = readOrNull(source.resolve("tokenizer.json"));
        for (SourceModel m : plan.models()) {
            byte[] other = readOrNull(m.directory().directory().resolve("tokenizer.json"));
            if (!Arrays.equals(reference, other)) {
                throw new ConfigException(setting.location(), "the models have different tokenizers, and building a"
                        + " merged vocabulary (tokenizer_source) is not supported yet", "merge models that share"
                        + " one tokenizer, or leave tokenizer_source out to copy the base model's tokenizer");
            }
        }
        return source;
    }

    private static byte[] readOrNull(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new InputException(file, "cannot read the file: " + e.getMessage(), null, e);
        }
    }

    /** Sets {@code chat_template} in the output's tokenizer_config.json. */
    private static void applyChatTemplate(MergePlan plan, ChatTemplate template, Path out) {
        String text = switch (template.kind()) {
            case LITERAL -> template.value();
            case AUTO -> mostCommonTemplate(plan, template);
            case BUILT_IN -> throw new ConfigException(template.location(), "built-in chat template names ('"
                    + template.value() + "') are not supported yet", "paste the template's Jinja text instead");
        };
        TokenizerConfig config = TokenizerConfig.read(out);
        Path configFile = config.file();
        try {
            ObjectNode root = config.exists() ? (ObjectNode) config.json().deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            root.put("chat_template", text);
            Files.writeString(configFile, PythonJsonWriter.write(root) + "\n");
        } catch (IOException | ClassCastException e) {
            throw new InputException(configFile, "cannot set the chat template: " + e.getMessage(), null, e);
        }
    }

    private static String mostCommonTemplate(MergePlan plan, ChatTemplate template) {
        Map<String, Integer> counts = new HashMap<>();
        for (SourceModel m : plan.models()) {
            JsonNode t = TokenizerConfig.read(m.directory().directory()).chatTemplate();
            if (t.isTextual()) {
                counts.merge(t.textValue(), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue())
                .map(Map.Entry::getKey).orElseThrow(() -> new ConfigException(template.location(),
                        "chat_template: auto found no chat template in the input models", "give the template text"));
    }
}
