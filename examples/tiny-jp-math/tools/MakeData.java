/*
 * Writes the synthetic languages and tasks of the tiny-jp-math example (run with `java tools/MakeData.java` from
 * the example's directory; the output is committed, so nothing needs to run this but a developer changing the data).
 *
 * Two languages over one world of animals:
 *   L1 (English-like, SVO):  "the big cat sees the red fox"
 *   L2 (Japanese-like, SOV, adjective after the noun, case particles):  "neko ooki ga kitsune aka wo miru"
 * Three tasks, each with search, validation and test splits kept out of the training data:
 *   lang  - translate an L1 sentence into L2 ("translate : ... =" -> the L2 sentence)
 *   math  - two-digit addition without carries and subtraction without borrows, asked in L1
 *           ("what is 3 4 plus 2 5 ?" -> "5 9"), digits as words
 *   cross - the same arithmetic asked in L2 ("3 4 ni 2 5 wo tasu to ikutsu ?" -> "5 9"), the analogue of MGSM-JA.
 *           No training file holds an L2 question with its answer; the translation data holds L2 questions
 *           (translated from L1 ones) without answers.
 * Training files (prompt/completion JSON lines, read by `evomerge train`):
 *   text.jsonl        L1 and L2 sentences (language modelling, the base's broad training)
 *   lang.jsonl        translation pairs, math questions of both operations among them
 *   lang-spec.jsonl   the same without the subtraction questions (the language specialist's data: "minus" stays
 *                     the math specialist's word, so that the two task vectors do not both move its embedding)
 *   math.jsonl        L1 arithmetic with answers (the math specialist's data)
 *   lang-base.jsonl   translation pairs whose verb is one of the first three, and L1 questions of addition only
 *   math-base.jsonl   L1 addition only
 * The base trains on text and the two *-base files, so it has partial abilities by design: it cannot translate a
 * sentence with the other three verbs (it never saw them aligned) and has never been asked to subtract. Each
 * specialist, fine-tuned gently from it, completes one ability.
 */
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

public class MakeData {

    static final String[] NOUNS1 = {"cat", "dog", "bird", "fish", "horse", "cow", "fox", "wolf", "bear", "mouse",
            "frog", "duck"};
    static final String[] NOUNS2 = {"neko", "inu", "tori", "sakana", "uma", "ushi", "kitsune", "ookami", "kuma",
            "nezumi", "kaeru", "ahiru"};
    static final String[] ADJS1 = {"big", "small", "red", "blue", "old", "young", "happy", "sad"};
    static final String[] ADJS2 = {"ooki", "chiisa", "aka", "ao", "furu", "waka", "ureshi", "kanashi"};
    static final String[] VERBS1 = {"sees", "likes", "chases", "finds", "helps", "calls"};
    static final String[] VERBS2 = {"miru", "suki", "oikakeru", "mitsukeru", "tasukeru", "yobu"};

    record Pair(String l1, String l2) {
    }

    record Problem(int a, int b, boolean plus) {
        int answer() {
            return plus ? a + b : a - b;
        }
    }

    static String digits(int n) {
        return String.join(" ", Integer.toString(n).split(""));
    }

    static Pair sentence(Random r) {
        int s = r.nextInt(NOUNS1.length);
        int o = r.nextInt(NOUNS1.length);
        int v = r.nextInt(VERBS1.length);
        int sa = r.nextInt(ADJS1.length + 1) - 1;
        int oa = r.nextInt(ADJS1.length + 1) - 1;
        String l1 = "the " + (sa >= 0 ? ADJS1[sa] + " " : "") + NOUNS1[s] + " " + VERBS1[v] + " the "
                + (oa >= 0 ? ADJS1[oa] + " " : "") + NOUNS1[o];
        String l2 = NOUNS2[s] + (sa >= 0 ? " " + ADJS2[sa] : "") + " ga " + NOUNS2[o] + (oa >= 0 ? " " + ADJS2[oa] : "")
                + " wo " + VERBS2[v];
        return new Pair(l1, l2);
    }

    /** Two-digit operands, digit by digit without carries (plus) or borrows (minus). */
    static Problem problem(Random r) {
        boolean plus = r.nextBoolean();
        while (true) {
            int a = 10 + r.nextInt(90);
            int b = 10 + r.nextInt(90);
            int a1 = a / 10;
            int a0 = a % 10;
            int b1 = b / 10;
            int b0 = b % 10;
            if (plus ? a1 + b1 <= 9 && a0 + b0 <= 9 : a1 >= b1 && a0 >= b0 && a != b) {
                return new Problem(a, b, plus);
            }
        }
    }

    static String mathL1(Problem p) {
        return "what is " + digits(p.a()) + (p.plus() ? " plus " : " minus ") + digits(p.b()) + " ?";
    }

    static String mathL2(Problem p) {
        return p.plus() ? digits(p.a()) + " ni " + digits(p.b()) + " wo tasu to ikutsu ?"
                : digits(p.a()) + " kara " + digits(p.b()) + " wo hiku to ikutsu ?";
    }

    /** Whether the L1 sentence's verb is one the base sees translated (the first half of the verbs). */
    static boolean baseVerb(String l1) {
        for (int v = 0; v < VERBS1.length / 2; v++) {
            if (l1.contains(" " + VERBS1[v] + " ")) {
                return true;
            }
        }
        return false;
    }

    static String translatePrompt(String l1) {
        return "translate : " + l1 + " =";
    }

    static String json(String... kv) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                b.append(", ");
            }
            b.append('"').append(kv[i]).append("\": \"").append(kv[i + 1]).append('"');
        }
        return b.append('}').toString();
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path train = root.resolve("training");
        Path tasks = root.resolve("src/evomerge/data");
        Random r = new Random(15);

        // held-out documents: 300 test, 200 validation, 200 search per task
        String[] splits = {"search", "validation", "test"};
        int[] sizes = {200, 200, 300};
        Set<String> heldSentences = new HashSet<>();
        Set<Problem> heldProblems = new HashSet<>();
        for (int k = 0; k < splits.length; k++) {
            List<String> lang = new ArrayList<>();
            List<String> math = new ArrayList<>();
            List<String> cross = new ArrayList<>();
            while (lang.size() < sizes[k]) {
                Pair p = sentence(r);
                if (heldSentences.add(p.l1())) {
                    lang.add(json("question", translatePrompt(p.l1()), "answer", p.l2()));
                }
            }
            while (math.size() < sizes[k]) {
                Problem p = problem(r);
                if (heldProblems.add(p)) {
                    math.add(json("question", mathL1(p), "answer", digits(p.answer())));
                }
            }
            while (cross.size() < sizes[k]) {
                Problem p = problem(r);
                if (heldProblems.add(p)) {
                    cross.add(json("question", mathL2(p), "answer", digits(p.answer())));
                }
            }
            write(tasks.resolve("lang").resolve(splits[k] + ".jsonl"), lang);
            write(tasks.resolve("math").resolve(splits[k] + ".jsonl"), math);
            write(tasks.resolve("cross").resolve(splits[k] + ".jsonl"), cross);
        }

        List<String> text = new ArrayList<>();
        List<String> lang = new ArrayList<>();
        List<String> math = new ArrayList<>();
        List<String> langBase = new ArrayList<>();
        List<String> langSpec = new ArrayList<>();
        List<String> mathBase = new ArrayList<>();
        while (text.size() < 20000) {
            Pair p = sentence(r);
            text.add(json("text", p.l1()));
            text.add(json("text", p.l2()));
        }
        while (lang.size() < 20000) {
            if (r.nextInt(5) == 0) {
                // L2 questions exist in the data only as translations, never with their answers
                Problem q = problem(r);
                if (!heldProblems.contains(q)) {
                    String line = json("prompt", translatePrompt(mathL1(q)), "completion", mathL2(q));
                    lang.add(line);
                    if (q.plus()) {
                        langBase.add(line);
                        langSpec.add(line);
                    }
                }
                continue;
            }
            Pair p = sentence(r);
            if (!heldSentences.contains(p.l1())) {
                String line = json("prompt", translatePrompt(p.l1()), "completion", p.l2());
                lang.add(line);
                langSpec.add(line);
                if (baseVerb(p.l1())) {
                    langBase.add(line);
                }
            }
        }
        while (math.size() < 20000) {
            Problem p = problem(r);
            if (!heldProblems.contains(p)) {
                String line = json("prompt", mathL1(p), "completion", digits(p.answer()));
                math.add(line);
                if (p.plus()) {
                    mathBase.add(line);
                }
            }
        }
        write(train.resolve("text.jsonl"), text);
        write(train.resolve("lang.jsonl"), lang);
        write(train.resolve("math.jsonl"), math);
        write(train.resolve("lang-base.jsonl"), langBase);
        write(train.resolve("lang-spec.jsonl"), langSpec);
        write(train.resolve("math-base.jsonl"), mathBase);

        LinkedHashSet<String> words = new LinkedHashSet<>();
        for (int d = 0; d < 10; d++) {
            words.add(Integer.toString(d));
        }
        for (String[] group : new String[][] {NOUNS1, ADJS1, VERBS1, NOUNS2, ADJS2, VERBS2,
                {"the", "what", "is", "plus", "minus", "?", "translate", ":", "=", "ga", "wo", "ni", "kara", "tasu",
                        "hiku", "to", "ikutsu"}}) {
            words.addAll(List.of(group));
        }
        write(train.resolve("vocabulary.txt"), new ArrayList<>(words));
    }

    static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
    }
}
