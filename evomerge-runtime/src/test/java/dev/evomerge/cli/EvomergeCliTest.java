package dev.evomerge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

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
    void unknownOption_oneErrorLine_exitsTwo() {
        assertEquals(EvomergeCli.USER_ERROR, run("--frobnicate"));
        String first = err.toString().lines().findFirst().orElseThrow();
        assertEquals("error: Unknown option: '--frobnicate'", first);
        assertTrue(!err.toString().contains("\tat "), "no stack trace: " + err);
    }
}
