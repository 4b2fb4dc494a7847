package dev.evomerge.eval.template;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.MethodNotFoundException;

/**
 * Method calls in templates with Python's meaning, as Jinja2 gives them: {@code answer.split('####')[-1].strip()}
 * splits and strips as Python does, not as {@link String#split} would. Handles the {@code str} methods task files
 * and chat templates use, {@code dict.get/items/keys/values} and {@code list.index/count}; any other method call on
 * a string, dict or list is refused with a message naming it. Calls on other objects fall through to the next
 * resolver (which in {@link TemplateEngine} refuses every method).
 *
 * <p>Stateless and thread-safe.
 */
final class PythonMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) {
            return null;
        }
        String name = method.toString();
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        if (base instanceof String s) {
            result = onString(s, name, args);
        } else if (base instanceof Map<?, ?> m) {
            result = onDict(m, name, args);
        } else if (base instanceof List<?> l) {
            result = onList(l, name, args);
        } else {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static Object onString(String s, String name, Object[] args) {
        return switch (name) {
            case "strip" -> strip(s, charsArg(name, args), true, true);
            case "lstrip" -> strip(s, charsArg(name, args), true, false);
            case "rstrip" -> strip(s, charsArg(name, args), false, true);
            case "split" -> split(s, args.length > 0 ? (String) args[0] : null, maxSplit(args));
            case "splitlines" -> splitLines(s);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s
                    : s.substring(0, s.offsetByCodePoints(0, 1)).toUpperCase(Locale.ROOT)
                            + s.substring(s.offsetByCodePoints(0, 1)).toLowerCase(Locale.ROOT);
            case "startswith" -> anyOf(args, name).stream().anyMatch(s::startsWith);
            case "endswith" -> anyOf(args, name).stream().anyMatch(s::endsWith);
            case "replace" -> replace(s, text(args, 0, name), text(args, 1, name),
                    args.length > 2 ? ((Number) args[2]).intValue() : -1);
            case "find" -> (long) s.indexOf(text(args, 0, name));
            case "rfind" -> (long) s.lastIndexOf(text(args, 0, name));
            case "count" -> count(s, text(args, 0, name));
            case "join" -> join(s, args, name);
            case "isdigit" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(PythonValues::isSpace);
            case "isupper" -> s.codePoints().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
            case "islower" -> s.codePoints().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
            default -> throw unsupported("str", name);
        };
    }

    private static Object onDict(Map<?, ?> m, String name, Object[] args) {
        return switch (name) {
            case "get" -> {
                if (args.length == 0 || args.length > 2) {
                    throw new MethodNotFoundException("dict.get takes a key and an optional default");
                }
                yield m.containsKey(args[0]) ? m.get(args[0]) : args.length == 2 ? args[1] : null;
            }
            case "items" -> new ArrayList<>(m.entrySet());
            case "keys" -> new ArrayList<>(m.keySet());
            case "values" -> new ArrayList<>(m.values());
            default -> throw unsupported("dict", name);
        };
    }

    private static Object onList(List<?> l, String name, Object[] args) {
        return switch (name) {
            case "index" -> {
                int i = l.indexOf(args.length > 0 ? args[0] : null);
                if (i < 0) {
                    throw new MethodNotFoundException("list.index: " + PythonValues.repr(args[0]) + " is not in list");
                }
                yield (long) i;
            }
            case "count" -> l.stream().filter(x -> Objects.equals(x, args.length > 0 ? args[0] : null)).count();
            default -> throw unsupported("list", name);
        };
    }

    private static MethodNotFoundException unsupported(String type, String name) {
        return new MethodNotFoundException("'" + type + "." + name + "()' is not available in templates");
    }

    private static String charsArg(String name, Object[] args) {
        if (args.length == 0 || args[0] == null) {
            return null;
        }
        return text(args, 0, name);
    }

    private static String text(Object[] args, int i, String name) {
        if (args.length <= i || !(args[i] instanceof String s)) {
            throw new MethodNotFoundException("str." + name + "() needs text as argument " + (i + 1));
        }
        return s;
    }

    private static int maxSplit(Object[] args) {
        return args.length > 1 && args[1] instanceof Number n ? n.intValue() : -1;
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && strippable(s.charAt(start), chars)) {
            start++;
        }
        while (right && end > start && strippable(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? PythonValues.isSpace(c) : chars.indexOf(c) >= 0;
    }

    /** Python's {@code str.split(sep, maxsplit)}; {@code sep == null} splits on runs of whitespace. */
    static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && PythonValues.isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    return out;
                }
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(strip(s.substring(i), null, false, true));
                    return out;
                }
                int j = i;
                while (j < n && !PythonValues.isSpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        if (sep.isEmpty()) {
            throw new MethodNotFoundException("str.split(): empty separator");
        }
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** Python's {@code str.splitlines()}: lines without their line breaks, no empty last line. */
    static List<String> splitLines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if ("\n\r\u000b\f\u001c\u001d\u001e\u0085\u2028\u2029".indexOf(c) >= 0) {
                out.add(s.substring(start, i));
                i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    private static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            b.appendCodePoint(previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
            previousCased = Character.isLetter(cp);
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    private static List<String> anyOf(Object[] args, String name) {
        if (args.length > 0 && args[0] instanceof Collection<?> c) {
            List<String> out = new ArrayList<>();
            for (Object o : c) {
                out.add(String.valueOf(o));
            }
            return out;
        }
        return List.of(text(args, 0, name));
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder b = new StringBuilder();
        int from = 0;
        for (int done = 0; done < count; done++) {
            int at = old.isEmpty() ? (from <= s.length() ? from : -1) : s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            b.append(s, from, at).append(replacement);
            if (old.isEmpty()) {
                if (at < s.length()) {
                    b.append(s.charAt(at));
                }
                from = at + 1;
            } else {
                from = at + old.length();
            }
        }
        if (from <= s.length()) {
            b.append(s.substring(from));
        }
        return b.toString();
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static String join(String sep, Object[] args, String name) {
        if (args.length != 1 || !(args[0] instanceof Iterable<?> items)) {
            throw new MethodNotFoundException("str." + name + "() needs a list");
        }
        StringBuilder b = new StringBuilder();
        Iterator<?> it = items.iterator();
        while (it.hasNext()) {
            Object o = it.next();
            if (!(o instanceof String part)) {
                throw new MethodNotFoundException("str.join(): expected text but found " + PythonValues.repr(o));
            }
            b.append(part);
            if (it.hasNext()) {
                b.append(sep);
            }
        }
        return b.toString();
    }

    // ---- the rest of ELResolver: this resolver only handles method calls ----

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // not handled here; the next resolver decides
    }
}
