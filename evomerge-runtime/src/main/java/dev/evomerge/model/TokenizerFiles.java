package dev.evomerge.model;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer and tag-along files a merged model takes from its donor, as mergekit copies them: when the donor
 * has {@code tokenizer_config.json} and either {@code tokenizer.json} or {@code tokenizer.model}, each file of
 * {@link #DONOR_FILES} that exists is copied as it is.
 *
 * <p>Stateless and thread-safe.
 */
public final class TokenizerFiles {

    /** Files copied from the donor when present, in mergekit's order. */
    public static final List<String> DONOR_FILES = List.of("tokenizer_config.json", "special_tokens_map.json",
            "tokenizer.json", "tokenizer.model", "added_tokens.json", "merges.txt", "chat_template.jinja",
            "generation_config.json", "chat_template.json", "video_preprocessor_config.json");

    private TokenizerFiles() {
    }

    /** Whether the donor has a tokenizer to copy. */
    public static boolean hasTokenizer(Path donor) {
        return Files.isRegularFile(donor.resolve("tokenizer_config.json"))
                && (Files.isRegularFile(donor.resolve("tokenizer.json"))
                        || Files.isRegularFile(donor.resolve("tokenizer.model")));
    }

    /** The donor's files that would be copied (empty when it has no tokenizer). */
    public static List<Path> filesToCopy(Path donor) {
        List<Path> out = new ArrayList<>();
        if (hasTokenizer(donor)) {
            for (String name : DONOR_FILES) {
                Path f = donor.resolve(name);
                if (Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** Copies the donor's tokenizer files into {@code outDir}; returns the names copied. */
    public static List<String> copy(Path donor, Path outDir) {
        List<String> copied = new ArrayList<>();
        for (Path f : filesToCopy(donor)) {
            try {
                Files.copy(f, outDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new InputException(f, "cannot copy the tokenizer file: " + e.getMessage(), null, e);
            }
            copied.add(f.getFileName().toString());
        }
        return copied;
    }
}
