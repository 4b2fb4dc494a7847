package dev.evomerge.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An evaluator command as an argument list with placeholders, run without a shell. {@link #parse} splits a command
 * line as a POSIX shell splits words, and does nothing else:
 *
 * <ul>
 *   <li>unquoted spaces and tabs separate arguments;</li>
 *   <li>{@code '...'} is literal (no escapes inside);</li>
 *   <li>{@code "..."} is literal except that {@code \"}, {@code \\}, {@code \$} and {@code \`} stand for the second
 *       character;</li>
 *   <li>outside quotes, {@code \} makes the next character literal;</li>
 *   <li>{@code ''} or {@code ""} is an empty argument.</li>
 * </ul>
 *
 * There is no variable or {@code ~} expansion, no globbing, no pipes, redirections or {@code &&}: those characters are
 * ordinary. To use a shell, say so: {@code sh -c 'lm_eval ... | tee log'}. In every argument, {@code {model_dir}}
 * becomes the model directory and {@code {output}} the path the command writes its results to (after splitting, so a
 * path with spaces stays one argument). The optional {@code {samples}} becomes the path of a JSON file that names,
 * per task, the positions of the documents to score ({@code {"gsm8k": [4, 17, 23]}}), the form
 * lm-evaluation-harness's {@code --samples} reads: with it the command scores the documents evomerge would (a
 * generation's subset of the search split, the validation split, ...).
 *
 * {@snippet :
 * CommandTemplate.parse("lm_eval --model vllm --model_args pretrained={model_dir},dtype=bfloat16"
 *         + " --tasks gsm8k --batch_size auto --output_path {output}");
 * }
 *
 * <p>Immutable and thread-safe.
 *
 * @param arguments the program and its arguments, with placeholders
 */
public record CommandTemplate(List<String> arguments) {

    /** The model directory placeholder. */
    public static final String MODEL_DIR = "{model_dir}";
    /** The results path placeholder. */
    public static final String OUTPUT = "{output}";
    /** The document-positions file placeholder (optional). */
    public static final String SAMPLES = "{samples}";

    public CommandTemplate {
        arguments = List.copyOf(arguments);
        if (arguments.isEmpty() || arguments.getFirst().isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        String all = String.join(" ", arguments);
        if (!all.contains(MODEL_DIR) || !all.contains(OUTPUT)) {
            throw new IllegalArgumentException("the command must use both " + MODEL_DIR + " and " + OUTPUT
                    + " (where the model is, and where to write lm-evaluation-harness's results): " + arguments);
        }
    }

    /**
     * Splits a command line into arguments.
     *
     * @throws IllegalArgumentException for an unterminated quote or a trailing backslash, or when a placeholder is
     *     missing
     */
    public static CommandTemplate parse(String line) {
        Objects.requireNonNull(line, "line");
        List<String> args = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case ' ', '\t', '\n', '\r' -> {
                    if (inWord) {
                        args.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                }
                case '\'' -> {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("unterminated ' at character " + (i + 1) + " of: " + line);
                    }
                    word.append(line, i + 1, end);
                    inWord = true;
                    i = end;
                }
                case '"' -> {
                    int j = i + 1;
                    while (true) {
                        if (j >= line.length()) {
                            throw new IllegalArgumentException("unterminated \" at character " + (i + 1) + " of: "
                                    + line);
                        }
                        char d = line.charAt(j);
                        if (d == '"') {
                            break;
                        }
                        if (d == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) {
                            word.append(line.charAt(j + 1));
                            j += 2;
                        } else {
                            word.append(d);
                            j++;
                        }
                    }
                    inWord = true;
                    i = j;
                }
                case '\\' -> {
                    if (i + 1 >= line.length()) {
                        throw new IllegalArgumentException("trailing \\ in: " + line);
                    }
                    word.append(line.charAt(++i));
                    inWord = true;
                }
                default -> {
                    word.append(c);
                    inWord = true;
                }
            }
        }
        if (inWord) {
            args.add(word.toString());
        }
        return new CommandTemplate(args);
    }

    /** Whether the command uses {@link #SAMPLES}, the file of the documents to score. */
    public boolean usesSamples() {
        return arguments.stream().anyMatch(a -> a.contains(SAMPLES));
    }

    /**
     * The arguments with the placeholders filled in, for a command that does not use {@link #SAMPLES}.
     *
     * @throws IllegalStateException when it does
     */
    public List<String> expand(Path modelDir, Path output) {
        if (usesSamples()) {
            throw new IllegalStateException("the command uses " + SAMPLES + ": give the samples file");
        }
        return expand(modelDir, output, output);
    }

    /** The arguments with the placeholders filled in ({@code samples} for {@link #SAMPLES}). */
    public List<String> expand(Path modelDir, Path output, Path samples) {
        Map<String, String> values = Map.of(MODEL_DIR, modelDir.toString(), OUTPUT, output.toString(), SAMPLES,
                samples.toString());
        List<String> out = new ArrayList<>(arguments.size());
        for (String a : arguments) {
            String s = a;
            for (Map.Entry<String, String> e : values.entrySet()) {
                s = s.replace(e.getKey(), e.getValue());
            }
            out.add(s);
        }
        return out;
    }

    /** The program name, for messages. */
    public String program() {
        return arguments.getFirst();
    }
}
