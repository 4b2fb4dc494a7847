package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.InputException;
import dev.evomerge.infer.family.ModelFamilies;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.Shape;
import dev.evomerge.tensor.io.InMemoryTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WeightLoaderTest {

    private static final int[] TOKENS = {4, 8, 15, 16, 23, 42};
    private static final ModelConfig CONFIG = TinyModels.llama(32, 2, false, false);

    private static InferenceEngine engine;

    @BeforeAll
    static void start() {
        engine = InferenceEngine.cpu(1);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** The weights with every tensor stored as {@code dtype} (values rounded once). */
    private static InMemoryTensors as(DType dtype, InMemoryTensors weights) {
        InMemoryTensors out = new InMemoryTensors();
        for (String name : weights.names()) {
            out.putFloats(name, dtype, weights.info(name).orElseThrow().shape(), weights.floats(name));
        }
        return out;
    }

    @Test
    void load_halfPrecision_widenedToTheSameFloats() {
        InMemoryTensors f32 = TinyModels.weights(CONFIG, 4);
        for (DType half : new DType[] {DType.BF16, DType.F16}) {
            InMemoryTensors stored = as(half, f32);
            InMemoryTensors widened = as(DType.F32, stored);
            try (LoadedModel a = engine.load(stored, CONFIG); LoadedModel b = engine.load(widened, CONFIG)) {
                float[][] x = CausalLm.of(a).logits(TOKENS);
                float[][] y = CausalLm.of(b).logits(TOKENS);
                for (int t = 0; t < TOKENS.length; t++) {
                    assertArrayEquals(y[t], x[t], half + " position " + t);
                }
            }
        }
    }

    @Test
    void load_matrixOverTheBufferLimit_builtInPartsWithTheSameValues() {
        InMemoryTensors weights = TinyModels.weights(CONFIG, 5);
        try (LoadedModel whole = engine.load(weights, CONFIG);
                LoadedModel parts = WeightLoader.load(engine, engine.newRequestManager(), weights,
                        ModelFamilies.read(CONFIG), "in parts", 1000)) {
            float[][] x = CausalLm.of(whole).logits(TOKENS);
            float[][] y = CausalLm.of(parts).logits(TOKENS);
            for (int t = 0; t < TOKENS.length; t++) {
                assertArrayEquals(x[t], y[t], "position " + t);
            }
        }
    }

    @Test
    void load_missingTensor_namesItAndTheModel() {
        InMemoryTensors weights = TinyModels.weights(CONFIG, 6);
        InMemoryTensors partial = new InMemoryTensors();
        weights.names().stream().filter(n -> !n.equals("model.layers.1.mlp.up_proj.weight"))
                .forEach(n -> partial.put(weights.info(n).orElseThrow(), weights.bytes(n)));
        var e = assertThrows(InputException.class, () -> engine.load(partial, CONFIG));
        assertEquals("no tensor 'model.layers.1.mlp.up_proj.weight' in the llama weights of a model held in memory;"
                + " check that the weights match config.json (2 layers, hidden size 32)", e.userMessage());
    }

    @Test
    void load_wrongShape_saysWhatConfigImplies() {
        InMemoryTensors weights = TinyModels.weights(CONFIG, 6);
        InMemoryTensors bad = new InMemoryTensors();
        for (String n : weights.names()) {
            if (n.equals("model.norm.weight")) {
                bad.putFloats(n, DType.F32, Shape.of(31), new float[31]);
            } else {
                bad.put(weights.info(n).orElseThrow(), weights.bytes(n));
            }
        }
        var e = assertThrows(InputException.class,
                () -> engine.load(bad, ModelFamilies.read(CONFIG), "candidate 7"));
        assertEquals("tensor 'model.norm.weight' of candidate 7 has shape [31], but config.json implies [32]; check"
                + " that config.json belongs to these weights", e.userMessage());
    }
}
