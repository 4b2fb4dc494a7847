package dev.evomerge.config;

import java.util.Locale;

/**
 * Byte counts as users write them: mergekit's shard sizes ({@code 5B}, {@code 500M}, {@code 20K}: powers of 1000)
 * and memory budgets ({@code 2G}, {@code 512M}, also with an optional trailing {@code B}).
 */
public final class ByteSizes {

    private ByteSizes() {
    }

    /**
     * Parses {@code N[k|m|b|g|t]} (case-insensitive; {@code b} means billion as in mergekit's
     * {@code --out-shard-size}, {@code g} the same), optionally followed by {@code B} for bytes after a unit.
     *
     * @throws IllegalArgumentException with the text when it is not a size
     */
    public static long parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
        if (s.length() > 2 && s.endsWith("b") && "kmgt".indexOf(s.charAt(s.length() - 2)) >= 0) {
            s = s.substring(0, s.length() - 1);
        }
        long multiplier = 1;
        char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
        switch (last) {
            case 'k' -> multiplier = 1_000L;
            case 'm' -> multiplier = 1_000_000L;
            case 'b', 'g' -> multiplier = 1_000_000_000L;
            case 't' -> multiplier = 1_000_000_000_000L;
            default -> {
            }
        }
        String number = multiplier == 1 ? s : s.substring(0, s.length() - 1);
        try {
            double v = Double.parseDouble(number);
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return Math.round(v * multiplier);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 5B, 500M, 20K or 2G");
        }
    }

    /** A count with a decimal prefix for people: {@code human(1_340_000_000, "B")} is {@code "1.34 GB"}. */
    public static String human(long n, String unit) {
        String[] prefixes = {"", "K", "M", "G", "T"};
        double v = n;
        int i = 0;
        while (v >= 1000 && i < prefixes.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, i == 0 ? "%.0f %s%s" : "%.2f %s%s", v, prefixes[i], unit).strip();
    }
}
