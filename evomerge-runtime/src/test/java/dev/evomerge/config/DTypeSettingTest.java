package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.tensor.DType;
import org.junit.jupiter.api.Test;

class DTypeSettingTest {

    @Test
    void parse_mergekitNames_withAndWithoutTorchPrefix() {
        assertEquals(DType.BF16, DTypeSetting.parse("bfloat16", MergeConfig.GENERATED).dtype());
        assertEquals(DType.F16, DTypeSetting.parse("torch.float16", MergeConfig.GENERATED).dtype());
        assertEquals(DType.F32, DTypeSetting.parse("float32", MergeConfig.GENERATED).dtype());
        assertEquals(DType.I64, DTypeSetting.parse("torch.int64", MergeConfig.GENERATED).dtype());
    }

    @Test
    void parse_otherNames_refusedWithMergekitWording() {
        for (String name : new String[] {"bf16", "float64", "torch.half", "BFLOAT16", "torch."}) {
            var e = assertThrows(ConfigException.class, () -> DTypeSetting.parse(name, MergeConfig.GENERATED));
            String key = name.startsWith("torch.") ? name.substring(6) : name;
            assertEquals("Unimplemented dtype \"" + key + "\"", e.getMessage());
        }
    }

    @Test
    void equality_comparesNameAsWritten() {
        assertEquals(DTypeSetting.of(DType.BF16), DTypeSetting.parse("bfloat16", MergeConfig.GENERATED));
        assertNotEquals(DTypeSetting.of(DType.BF16), DTypeSetting.parse("torch.bfloat16", MergeConfig.GENERATED),
                "mergekit keeps the name as written, so a written config keeps it too");
        assertThrows(IllegalArgumentException.class, () -> DTypeSetting.of(DType.U8));
    }
}
