package dev.evomerge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvomergeCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return EvomergeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void help_printsUsage_exitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().startsWith("Usage: evomerge"), out.toString());
    }

    @Test
    void version_printsName_exitsZero() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("evomerge "), out.toString());
    }

    @Test
    void version_sameLineAsPicocliPrints() {
        assertEquals(0, run("--version"));
        StringWriter picocli = new StringWriter();
        EvomergeCli.commandLine().printVersionHelp(new PrintWriter(picocli, true));
        assertEquals(picocli.toString(), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("-V", "merge", "--help"));
        assertTrue(out.toString().startsWith(picocli.toString()), out.toString());
    }

    @Test
    void unknownOption_oneErrorLine_exitsTwo() {
        assertEquals(EvomergeCli.USER_ERROR, run("--frobnicate"));
        String first = err.toString().lines().findFirst().orElseThrow();
        assertEquals("error: Unknown option: '--frobnicate'", first);
        assertTrue(!err.toString().contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void subcommandsFor_buildsWhatTheArgumentsNeed() {
        List<Class<?>> all = EvomergeCli.subcommandsFor();
        assertEquals(10, all.size(), all.toString());
        assertEquals(List.of(MergeCommand.class), EvomergeCli.subcommandsFor("merge", "m.yml", "out"));
        assertEquals(List.of(RunCandidateCommand.class), EvomergeCli.subcommandsFor("-V", "run-candidate", "d"));
        assertTrue(EvomergeCli.versionOnly("--version") && EvomergeCli.versionOnly("-V", "--version"));
        assertTrue(!EvomergeCli.versionOnly() && !EvomergeCli.versionOnly("-V", "merge"));
        // the root's usage lists every command; help, a root option and an unknown command may print it
        assertEquals(all, EvomergeCli.subcommandsFor("help", "merge"));
        assertEquals(all, EvomergeCli.subcommandsFor("-h", "merge"));
        assertEquals(all, EvomergeCli.subcommandsFor("--help"));
        assertEquals(all, EvomergeCli.subcommandsFor("mrege"));
    }

    @Test
    void subcommandHelp_sameWithOneSubcommandAsWithAll() {
        for (Class<?> subcommand : EvomergeCli.subcommandsFor()) {
            String name = subcommand.getAnnotation(CommandLine.Command.class).name();
            if (name.equals("help")) {
                continue;
            }
            StringWriter full = new StringWriter();
            EvomergeCli.commandLine().getSubcommands().get(name).usage(new PrintWriter(full, true));
            out.getBuffer().setLength(0);
            assertEquals(0, run(name, "--help"));
            assertEquals(full.toString(), out.toString(), name);
        }
    }
}
