package dev.evomerge.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.search.cmaes.CmaEs;
import dev.evomerge.search.cmaes.CmaEsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

    private static CmaEs searched(int n, int generations) {
        double[] x0 = new double[n];
        CmaEs cma = CmaEs.start(CmaEsSettings.of(x0, 0.3).withDirection(Direction.MINIMIZE), Xoshiro256.seeded(9));
        for (int g = 0; g < generations; g++) {
            List<double[]> xs = cma.ask();
            double[] f = new double[xs.size()];
            for (int k = 0; k < f.length; k++) {
                for (double v : xs.get(k)) {
                    f[k] += (v - 0.5) * (v - 0.5);
                }
            }
            f[f.length - 1] = Double.NaN;   // a failed candidate: non-finite values reach the state
            cma.tellFitness(f);
        }
        cma.ask();   // pending samples in the state too
        return cma;
    }

    @Test
    void writeThenRead_fullCmaState_restoresBitForBitAndIsCompact(@TempDir Path dir) throws IOException {
        int n = 200;
        CmaEs cma = searched(n, 5);
        Path file = dir.resolve("checkpoint").resolve("state.bin");
        StateFile.write(file, cma.state());
        assertTrue(StateFile.isStateFile(file));
        assertFalse(Files.exists(dir.resolve("checkpoint").resolve("state.bin.tmp")));
        JsonNode read = StateFile.read(file);
        assertEquals(StateJson.write(cma.state()), StateJson.write(read));
        CmaEs restored = CmaEs.restore(read);
        List<double[]> a = cma.ask();
        List<double[]> b = restored.ask();
        for (int k = 0; k < a.size(); k++) {
            assertEquals(java.util.Arrays.toString(a.get(k)), java.util.Arrays.toString(b.get(k)));
        }
        // two n x n matrices dominate: 8 bytes a number, against about 20 as JSON text
        long matrices = 2L * n * n * 8;
        assertTrue(Files.size(file) < matrices * 1.1, "size " + Files.size(file));
        assertTrue(StateJson.write(cma.state()).length() > 2 * Files.size(file), "JSON is not larger");
    }

    @Test
    void read_truncatedFile_fails(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("state.bin");
        StateFile.write(file, searched(80, 1).state());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(IOException.class, () -> StateFile.read(file));
    }
}
