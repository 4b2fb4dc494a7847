package dev.evomerge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvomergeCliTest {

    private final CapturedCli cli = new CapturedCli();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void help_printsUsage_exitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(cli.out().startsWith("Usage: evomerge"), cli.out());
    }

    @Test
    void version_printsName_exitsZero() {
        assertEquals(0, run("--version"));
        assertTrue(cli.out().startsWith("evomerge "), cli.out());
    }

    @Test
    void version_sameLineAsPicocliPrints() {
        assertEquals(0, run("--version"));
        StringWriter picocli = new StringWriter();
        EvomergeCli.commandLine().printVersionHelp(new PrintWriter(picocli, true));
        assertEquals(picocli.toString(), cli.out());
        assertEquals(0, run("-V", "merge", "--help"));
        assertTrue(cli.out().startsWith(picocli.toString()), cli.out());
    }

    @Test
    void unknownOption_oneErrorLine_exitsTwo() {
        assertEquals(EvomergeCli.USER_ERROR, run("--frobnicate"));
        String first = cli.err().lines().findFirst().orElseThrow();
        assertEquals("error: Unknown option: '--frobnicate'", first);
        assertTrue(!cli.err().contains("\tat "), "no stack trace: " + cli.err());
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
            assertEquals(0, run(name, "--help"));
            assertEquals(full.toString(), cli.out(), name);
        }
    }
}
