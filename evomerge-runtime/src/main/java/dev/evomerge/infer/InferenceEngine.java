package dev.evomerge.infer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.evomerge.diag.RunException;
import dev.evomerge.infer.family.ModelFamilies;
import dev.evomerge.infer.family.TransformerConfig;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.tensor.TensorSource;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.nio.file.Path;

/**
 * DJL's PyTorch engine on the CPU, with a fixed number of intra-op threads, and the root of every NDManager the
 * inference code opens. Load models through it; close it last (it frees whatever is still loaded). Starting it sets
 * {@code DJL_OFFLINE} and {@code OPT_OUT_TRACKING} to true (as system properties) unless the environment or the
 * system properties already say something.
 *
 * <p>PyTorch's intra-op thread count is a per-thread setting: every entry point ({@link CausalLm}'s methods, loading)
 * sets it on the calling thread, so that several candidates evaluated at once on their own threads each use
 * {@link #intraOpThreads()} threads. Keep candidates × threads at or under the cores.
 *
 * <p>Thread-safe: models may be loaded and run from several threads.
 */
public final class InferenceEngine implements AutoCloseable {

    private static final String PYTORCH = "PyTorch";

    private final NDManager root;
    private final int intraOpThreads;

    private InferenceEngine(NDManager root, int intraOpThreads) {
        this.root = root;
        this.intraOpThreads = intraOpThreads;
    }

    /**
     * Starts the engine on the CPU.
     *
     * @param intraOpThreads threads PyTorch may use for one operation, >= 1
     * @throws RunException when PyTorch's native library cannot be loaded
     */
    public static InferenceEngine cpu(int intraOpThreads) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be >= 1, got " + intraOpThreads);
        }
        offlineUnlessConfigured("DJL_OFFLINE");
        offlineUnlessConfigured("OPT_OUT_TRACKING");
        NDManager root;
        try {
            root = Engine.getEngine(PYTORCH).newBaseManager(Device.cpu());
        } catch (EngineException | IllegalArgumentException e) {
            throw new RunException("the PyTorch engine did not start: " + e.getMessage(),
                    "check that the pytorch-native-cpu jar is on the classpath and DJL_OFFLINE=true is set", e);
        }
        InferenceEngine engine = new InferenceEngine(root, intraOpThreads);
        engine.enter();
        return engine;
    }

    /**
     * Keeps DJL from contacting the network (it downloads engines and reports usage unless told not to) when the
     * user has not set the switch either way, whatever front end started us.
     */
    private static void offlineUnlessConfigured(String name) {
        if (System.getenv(name) == null && System.getProperty(name) == null) {
            System.setProperty(name, "true");
        }
    }

    /** Threads PyTorch uses for one operation on each calling thread. */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /**
     * Loads a model directory: {@code config.json} and its safetensors weights, which are copied (widened to
     * float32) and unmapped before this returns.
     *
     * @throws dev.evomerge.diag.InputException naming the file at fault
     */
    public LoadedModel load(Path modelDir) {
        ModelConfig config = ModelConfig.read(modelDir.resolve("config.json"));
        TransformerConfig hyper = ModelFamilies.read(config);
        try (SafetensorsModel weights = SafetensorsModel.open(modelDir)) {
            return load(weights, hyper, modelDir.toString());
        }
    }

    /**
     * Loads weights with the hyper-parameters of {@code config} (its family is picked by {@code model_type}). The
     * tensors are copied, so {@code weights} may be closed or dropped afterwards.
     */
    public LoadedModel load(TensorSource weights, ModelConfig config) {
        String origin = weights instanceof SafetensorsModel files ? files.location().toString()
                : "a model held in memory";
        return load(weights, ModelFamilies.read(config), origin);
    }

    /**
     * Loads weights with the given hyper-parameters.
     *
     * @param origin what the weights are, for error messages (a directory, "merged candidate 12")
     * @throws dev.evomerge.diag.InputException when a tensor is missing or has the wrong shape
     */
    public LoadedModel load(TensorSource weights, TransformerConfig config, String origin) {
        enter();
        return WeightLoader.load(this, root.newSubManager(), weights, config, origin);
    }

    /**
     * Loads a model directory for training: as {@link #load(Path)}, but every weight array requires gradients and
     * is listed in {@link LoadedModel#parameters()}.
     */
    public LoadedModel loadTrainable(Path modelDir) {
        ModelConfig config = ModelConfig.read(modelDir.resolve("config.json"));
        TransformerConfig hyper = ModelFamilies.read(config);
        try (SafetensorsModel weights = SafetensorsModel.open(modelDir)) {
            enter();
            return WeightLoader.loadTrainable(this, root.newSubManager(), weights, hyper, modelDir.toString());
        }
    }

    /** A manager for one request, under the root; the caller closes it. */
    public NDManager newRequestManager() {
        return root.newSubManager();
    }

    /** Applies this engine's per-thread PyTorch settings to the calling thread. */
    void enter() {
        if (JniUtils.getNumThreads() != intraOpThreads) {
            JniUtils.setNumThreads(intraOpThreads);
        }
        // autograd mode is per thread too; inference never needs it
        JniUtils.setGradMode(false);
    }

    /** Frees every model and request still open. */
    @Override
    public void close() {
        root.close();
    }
}
