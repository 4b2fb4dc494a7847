package dev.evomerge.eval.metric;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code exact_match} metric of lm-evaluation-harness (its port of Hugging Face evaluate's
 * {@code exact_match}): 1 when prediction and reference are equal after, in this order, deleting every match of each
 * {@code regexes_to_ignore} pattern from both, lower-casing both ({@code ignore_case}), deleting ASCII punctuation
 * ({@code ignore_punctuation}, Python's {@code string.punctuation}) and deleting the digits 0–9
 * ({@code ignore_numbers}); else 0.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ignoreCase compare lower-cased text
 * @param ignorePunctuation delete {@code !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~} first
 * @param ignoreNumbers delete the digits 0–9 first
 * @param regexesToIgnore patterns whose matches are deleted first, in order
 */
public record ExactMatch(boolean ignoreCase, boolean ignorePunctuation, boolean ignoreNumbers,
        List<Pattern> regexesToIgnore) {

    /** Python's {@code string.punctuation}. */
    public static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /** Plain equality. */
    public static final ExactMatch PLAIN = new ExactMatch(false, false, false, List.of());

    public ExactMatch {
        regexesToIgnore = List.copyOf(regexesToIgnore);
    }

    /** 1.0 when the two texts match under these options, else 0.0. */
    public double score(String prediction, String reference) {
        return normalise(prediction).equals(normalise(reference)) ? 1.0 : 0.0;
    }

    /** The text as it is compared. */
    public String normalise(String text) {
        String s = text;
        for (Pattern p : regexesToIgnore) {
            s = p.matcher(s).replaceAll("");
        }
        if (ignoreCase) {
            s = s.toLowerCase(Locale.ROOT);
        }
        if (ignorePunctuation) {
            s = delete(s, PUNCTUATION);
        }
        if (ignoreNumbers) {
            s = delete(s, "0123456789");
        }
        return s;
    }

    private static String delete(String s, String chars) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (chars.indexOf(c) < 0) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
