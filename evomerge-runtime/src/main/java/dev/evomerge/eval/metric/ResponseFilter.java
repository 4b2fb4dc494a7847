package dev.evomerge.eval.metric;

import dev.evomerge.diag.Requires;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of a {@code filter_list} pipeline, as lm-evaluation-harness's filters of the same names: it maps the
 * responses to one request (one per repeat; evomerge always makes one) to new responses.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface ResponseFilter {

    /** The filtered responses. */
    List<String> apply(List<String> responses);

    /** The function name in task files. */
    String name();

    /**
     * {@code regex}: the {@code group_select}-th match of the pattern in each response (Python's {@code findall}:
     * the whole match without groups, the group with one, the first non-empty group with several; negative indices
     * count from the end), stripped, or {@code fallback} when there is no such match.
     *
     * @param pattern the compiled {@code regex_pattern}
     * @param source the pattern as written, for logs
     * @param groupSelect which match to take
     * @param fallback what a response without a match becomes (lm-evaluation-harness's default is {@code [invalid]})
     */
    record Regex(Pattern pattern, String source, int groupSelect, String fallback) implements ResponseFilter {

        /** lm-evaluation-harness's default pattern, for GSM8K-style {@code #### 42} answers. */
        public static final String DEFAULT_PATTERN = "#### (\\-?[0-9\\.\\,]+)";
        public static final String DEFAULT_FALLBACK = "[invalid]";

        public Regex {
            Requires.nonNull("pattern, source, fallback", pattern, source, fallback);
        }

        @Override
        public String name() {
            return "regex";
        }

        @Override
        public List<String> apply(List<String> responses) {
            return responses.stream().map(this::extract).toList();
        }

        /** The extraction for one response. */
        public String extract(String response) {
            List<String> matches = new ArrayList<>();
            Matcher m = pattern.matcher(response == null ? "" : response);
            int groups = m.groupCount();
            while (m.find()) {
                if (groups == 0) {
                    matches.add(m.group());
                } else if (groups == 1) {
                    matches.add(m.group(1) == null ? "" : m.group(1));
                } else {
                    String first = null;
                    for (int g = 1; g <= groups && first == null; g++) {
                        String v = m.group(g);
                        if (v != null && !v.isEmpty()) {
                            first = v;
                        }
                    }
                    // a tuple whose groups are all empty gives the fallback, marked here by null
                    matches.add(first);
                }
            }
            if (matches.isEmpty()) {
                return fallback;
            }
            int i = groupSelect < 0 ? matches.size() + groupSelect : groupSelect;
            if (i < 0 || i >= matches.size()) {
                return fallback;
            }
            String picked = matches.get(i);
            return picked == null ? strip(fallback) : strip(picked);
        }

        private static String strip(String s) {
            int start = 0;
            int end = s.length();
            while (start < end && isSpace(s.charAt(start))) {
                start++;
            }
            while (end > start && isSpace(s.charAt(end - 1))) {
                end--;
            }
            return s.substring(start, end);
        }
    }

    /** {@code take_first}: the first response only. */
    record TakeFirst() implements ResponseFilter {
        @Override
        public String name() {
            return "take_first";
        }

        @Override
        public List<String> apply(List<String> responses) {
            return responses.isEmpty() ? responses : List.of(responses.getFirst());
        }
    }

    /**
     * A filter that changes each response on its own: {@code lowercase} (Python's {@code str.lower()}),
     * {@code uppercase} ({@code str.upper()}) or {@code remove_whitespace} ({@code str.strip()}).
     *
     * @param kind which change
     */
    record EachResponse(Change kind) implements ResponseFilter {

        /** The changes, by their function names in task files. */
        public enum Change {
            LOWERCASE, UPPERCASE, REMOVE_WHITESPACE;

            String apply(String response) {
                return switch (this) {
                    case LOWERCASE -> response.toLowerCase(Locale.ROOT);
                    case UPPERCASE -> response.toUpperCase(Locale.ROOT);
                    case REMOVE_WHITESPACE -> Regex.strip(response);
                };
            }
        }

        public EachResponse {
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String name() {
            return kind.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public List<String> apply(List<String> responses) {
            return responses.stream().map(kind::apply).toList();
        }
    }

    /** Python's {@code str.isspace()} for one character. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.getType(c) == Character.SPACE_SEPARATOR || c == 0x85
                || (c >= 0x1c && c <= 0x1f);
    }
}
