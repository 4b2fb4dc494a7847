package dev.evomerge.eval.data;

import dev.evomerge.diag.InputException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.io.InputFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CSV with a header row (RFC 4180: comma separated, fields in double quotes may hold commas, line breaks and
 * doubled quotes), with column types inferred as pandas infers them for Hugging Face's CSV loader: a column whose
 * cells are all whole numbers holds {@link Long}s, all numbers {@link Double}s, all {@code True}/{@code False}
 * {@link Boolean}s, anything else text. Unlike pandas, only an empty cell is missing ({@code null}); text such as
 * {@code NA} or {@code None} stays text.
 *
 * <p>Stateless and thread-safe.
 */
final class Csv {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?|inf|Inf|INF|nan|NaN|NAN)");
    private static final Set<String> BOOLEANS = Set.of("True", "False", "TRUE", "FALSE", "true", "false");

    private Csv() {
    }

    static List<Map<String, Object>> read(Path file) {
        String text;
        InputFiles.requireRegular(file);
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(file, "file not found", "check dataset_path and the split file names");
        } catch (IOException e) {
            throw new InputException(file, "cannot read the file: " + e.getMessage(), null, e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> rows = parse(text, file);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> header = rows.getFirst();
        Set<String> seen = new HashSet<>();
        for (String h : header) {
            if (!seen.add(h)) {
                throw new InputException(new SourceLocation(file, 1, 0, ""), "column '" + h + "' appears twice",
                        "give every column its own name");
            }
        }
        List<List<String>> body = rows.subList(1, rows.size());
        for (int r = 0; r < body.size(); r++) {
            if (body.get(r).size() != header.size()) {
                throw new InputException(new SourceLocation(file, r + 2, 0, ""), "row has " + body.get(r).size()
                        + " fields but the header has " + header.size(), "quote fields that contain commas");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(body.size());
        for (int r = 0; r < body.size(); r++) {
            out.add(new LinkedHashMap<>());
        }
        for (int c = 0; c < header.size(); c++) {
            List<String> cells = new ArrayList<>(body.size());
            for (List<String> row : body) {
                cells.add(row.get(c));
            }
            List<Object> values = typed(cells);
            for (int r = 0; r < body.size(); r++) {
                out.get(r).put(header.get(c), values.get(r));
            }
        }
        return out;
    }

    private static List<Object> typed(List<String> cells) {
        List<String> present = cells.stream().filter(s -> !s.isEmpty()).toList();
        List<Object> out = new ArrayList<>(cells.size());
        if (!present.isEmpty() && present.stream().allMatch(s -> INTEGER.matcher(s).matches() && fitsLong(s))) {
            cells.forEach(s -> out.add(s.isEmpty() ? null : Long.parseLong(s.startsWith("+") ? s.substring(1) : s)));
        } else if (!present.isEmpty() && present.stream().allMatch(s -> FLOAT.matcher(s).matches())) {
            cells.forEach(s -> out.add(s.isEmpty() ? null : parseDouble(s)));
        } else if (!present.isEmpty() && BOOLEANS.containsAll(present)) {
            cells.forEach(s -> out.add(s.isEmpty() ? null : Boolean.valueOf(s.equalsIgnoreCase("true"))));
        } else {
            cells.forEach(s -> out.add(s.isEmpty() ? null : s));
        }
        return out;
    }

    private static boolean fitsLong(String s) {
        try {
            Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double parseDouble(String s) {
        String t = s.toLowerCase(java.util.Locale.ROOT);
        return switch (t.replace("+", "")) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    /** The rows of an RFC 4180 text; a last empty line is not a row. */
    static List<List<String>> parse(String text, Path file) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int i = 0;
        int n = text.length();
        boolean rowStarted = false;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' && field.isEmpty()) {
                int startLine = line;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new InputException(new SourceLocation(file, startLine, 0, ""),
                                "a quoted field is not closed", "close it with a double quote");
                    }
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (q == '\n') {
                        line++;
                    }
                    field.append(q);
                    i++;
                }
                rowStarted = true;
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    throw new InputException(new SourceLocation(file, line, 0, ""),
                            "text after a closing quote", "double the quotes inside a quoted field");
                }
                continue;
            }
            if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                rowStarted = true;
                i++;
            } else if (c == '\n' || c == '\r') {
                if (rowStarted || !field.isEmpty()) {
                    row.add(field.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                field.setLength(0);
                rowStarted = false;
                i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
                line++;
            } else {
                field.append(c);
                rowStarted = true;
                i++;
            }
        }
        if (rowStarted || !field.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
