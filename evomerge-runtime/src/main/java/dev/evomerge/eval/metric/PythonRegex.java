package dev.evomerge.eval.metric;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a regular expression written for Python's {@code re} (as task files write them) into a Java
 * {@link Pattern} with the same meaning for what task files use: named groups {@code (?P<name>...)} and
 * back-references {@code (?P=name)} are rewritten to Java's spelling, {@code \Z} becomes {@code \z}, and
 * {@code \d}, {@code \w}, {@code \s} match Unicode characters as they do in Python 3.
 *
 * <p>Stateless and thread-safe.
 */
public final class PythonRegex {

    private PythonRegex() {
    }

    /**
     * The Java pattern for a Python pattern.
     *
     * @throws PatternSyntaxException when it is not a valid pattern
     */
    public static Pattern compile(String python) {
        StringBuilder b = new StringBuilder(python.length());
        for (int i = 0; i < python.length(); i++) {
            char c = python.charAt(i);
            if (c == '\\' && i + 1 < python.length()) {
                char next = python.charAt(i + 1);
                b.append(next == 'Z' ? "\\z" : "\\" + next);
                i++;
            } else if (python.startsWith("(?P<", i)) {
                b.append("(?<");
                i += 3;
            } else if (python.startsWith("(?P=", i)) {
                int close = python.indexOf(')', i);
                if (close < 0) {
                    throw new PatternSyntaxException("unterminated back-reference", python, i);
                }
                b.append("\\k<").append(python, i + 4, close).append('>');
                i = close;
            } else {
                b.append(c);
            }
        }
        return Pattern.compile(b.toString(), Pattern.UNICODE_CHARACTER_CLASS);
    }
}
