package dev.evomerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.tensor.DType;
import org.junit.jupiter.api.Test;

class DefaultsTest {

    @Test
    void threads_zero_oneperProcessor_positiveAsGiven_negativeRefused() {
        assertEquals(Runtime.getRuntime().availableProcessors(), Defaults.threads(0));
        assertEquals(Runtime.getRuntime().availableProcessors(), Defaults.threads(Integer.parseInt(Defaults.THREADS)));
        assertEquals(3, Defaults.threads(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Defaults.threads(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void dtype_everySpelling_oneType_otherTextRefusedNamingIt() {
        for (String s : new String[] {"bf16", "bfloat16", "BF16"}) {
            assertEquals(DType.BF16, Defaults.dtype(s), s);
        }
        for (String s : new String[] {"f16", "fp16", "float16"}) {
            assertEquals(DType.F16, Defaults.dtype(s), s);
        }
        for (String s : new String[] {"f32", "fp32", "float32"}) {
            assertEquals(DType.F32, Defaults.dtype(s), s);
        }
        assertEquals(DType.F32, Defaults.dtype(Defaults.SYNTH_DTYPE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Defaults.dtype("int8"));
        assertEquals("dtype must be bf16, f16 or f32, got 'int8'", e.getMessage());
    }

    @Test
    void memoryBudget_blankIsHalfTheHeap_sizeParsed() {
        assertEquals(MergeRequest.defaultMemoryBudget(), Defaults.memoryBudget(null));
        assertEquals(MergeRequest.defaultMemoryBudget(), Defaults.memoryBudget(" "));
        assertEquals(2_000_000_000L, Defaults.memoryBudget("2B"));
        assertEquals(500_000_000L, Defaults.memoryBudget("500M"));
    }
}
