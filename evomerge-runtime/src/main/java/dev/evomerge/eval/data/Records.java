package dev.evomerge.eval.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.io.InputFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the records of one data file as Hugging Face {@code datasets} would: a JSON array of objects, JSON Lines
 * (one object per line; {@code .jsonl}, or a {@code .json} file that is not an array), or CSV with a header row
 * ({@link Csv}). Values become {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@code null},
 * {@link List} or {@link LinkedHashMap}; records keep their field order.
 *
 * <p>Stateless and thread-safe.
 */
public final class Records {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Records() {
    }

    /** The file kinds by extension, in the order a folder is searched. */
    public static final List<String> EXTENSIONS = List.of("jsonl", "json", "csv");

    /**
     * The records of {@code file}, by its extension.
     *
     * @throws InputException naming the file (and line and column where known) when it cannot be read
     */
    public static List<Map<String, Object>> read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Csv.read(file);
        }
        if (name.endsWith(".json") || name.endsWith(".jsonl")) {
            return readJson(file);
        }
        throw new InputException(file, "unknown data file kind",
                "use a .jsonl, .json or .csv file");
    }

    private static List<Map<String, Object>> readJson(Path file) {
        InputFiles.requireRegular(file);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonParser parser = JSON.createParser(reader)) {
            JsonToken first = parser.nextToken();
            List<Map<String, Object>> out = new ArrayList<>();
            if (first == null) {
                return out;
            }
            if (first == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    out.add(record(JSON.readTree(parser), file, parser.currentLocation()));
                }
                if (parser.currentToken() != JsonToken.END_ARRAY) {
                    throw new InputException(at(file, parser.currentLocation()),
                            "expected an object (a record) in the JSON array", "write one object per record");
                }
                if (parser.nextToken() != null) {
                    throw new InputException(at(file, parser.currentLocation()),
                            "unexpected content after the JSON array", "keep one array in the file");
                }
                return out;
            }
            // JSON Lines: a sequence of objects
            JsonToken t = first;
            while (t != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw new InputException(at(file, parser.currentLocation()),
                            "expected a JSON object (one record per line)", "write one object per line");
                }
                out.add(record(JSON.readTree(parser), file, parser.currentLocation()));
                t = parser.nextToken();
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new InputException(file, "file not found", "check dataset_path and the split file names");
        } catch (JsonProcessingException e) {
            throw new InputException(at(file, e.getLocation()), "not valid JSON: " + e.getOriginalMessage(),
                    "fix the data file");
        } catch (IOException e) {
            throw new InputException(file, "cannot read the file: " + e.getMessage(), null, e);
        }
    }

    private static Map<String, Object> record(JsonNode node, Path file, JsonLocation where) {
        if (!node.isObject()) {
            throw new InputException(at(file, where), "expected a JSON object as a record",
                    "write one object per record");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) value(node);
        return m;
    }

    /** A JSON value as the Java value a document holds. */
    static Object value(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            n.forEach(e -> list.add(value(e)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), value(e.getValue()));
        }
        return map;
    }

    private static SourceLocation at(Path file, JsonLocation where) {
        if (where == null || where.getLineNr() <= 0) {
            return SourceLocation.of(file);
        }
        return new SourceLocation(file, where.getLineNr(), Math.max(0, where.getColumnNr()), "");
    }
}
