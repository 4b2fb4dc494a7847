package dev.evomerge.model;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer and tag-along files a merged model takes from its donor (the base model, else the first model),
 * as mergekit copies them when it does not rebuild the tokenizer: if the donor has {@code tokenizer_config.json}
 * and either {@code tokenizer.json} or {@code tokenizer.model}, each file of {@link #DONOR_FILES} that exists is
 * copied as it is. An architecture's tag-along files ({@code preprocessor_config.json} and the like, none for the
 * built-in families) are copied by {@link #copyTagalong} when present.
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

    /** Whether the donor has a tokenizer to copy: {@code tokenizer_config.json} plus a tokenizer model file. */
    public static boolean hasTokenizer(Path donor) {
        return Files.isRegularFile(donor.resolve("tokenizer_config.json"))
                && (Files.isRegularFile(donor.resolve("tokenizer.json"))
                        || Files.isRegularFile(donor.resolve("tokenizer.model")));
    }

    /** The donor's files that would be copied, in {@link #DONOR_FILES} order (empty when it has no tokenizer). */
    public static List<Path> filesToCopy(Path donor) {
        return hasTokenizer(donor) ? present(donor, DONOR_FILES) : List.of();
    }

    /** Copies the donor's tokenizer files into {@code outDir}; returns the names copied. */
    public static List<String> copy(Path donor, Path outDir) {
        return copyAll(filesToCopy(donor), outDir);
    }

    /** Copies those of {@code names} the donor has into {@code outDir}; returns the names copied. */
    public static List<String> copyTagalong(Path donor, Path outDir, List<String> names) {
        return copyAll(present(donor, names), outDir);
    }

    private static List<Path> present(Path donor, List<String> names) {
        List<Path> out = new ArrayList<>();
        for (String name : names) {
            Path f = donor.resolve(name);
            if (Files.isRegularFile(f)) {
                out.add(f);
            }
        }
        return out;
    }

    private static List<String> copyAll(List<Path> files, Path outDir) {
        List<String> copied = new ArrayList<>();
        for (Path f : files) {
            Path target = outDir.resolve(f.getFileName());
            try {
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new InputException(f, "cannot copy to " + target + ": " + e.getMessage(),
                        "check that the output directory is writable", e);
            }
            copied.add(f.getFileName().toString());
        }
        return copied;
    }
}
