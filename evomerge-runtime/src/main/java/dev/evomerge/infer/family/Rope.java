package dev.evomerge.infer.family;

import java.util.Objects;

/**
 * Rotary position embedding parameters and the inverse frequencies they give, computed as transformers'
 * {@code modeling_rope_utils} does (in float32, operation by operation): {@code default} (Su et al.), {@code linear}
 * (position interpolation: every frequency divided by {@code factor}) and {@code llama3} (Llama 3.1: low frequencies
 * divided by {@code factor}, high ones kept, a smooth blend in between). None of these scales the attention
 * ({@code attention_factor} is 1), so cos and sin are used as they are.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type the scaling
 * @param theta the base wavelength ({@code rope_theta})
 * @param factor the scaling factor ({@code linear}, {@code llama3}); 1 for {@code default}
 * @param lowFreqFactor {@code llama3}'s {@code low_freq_factor}; unused otherwise
 * @param highFreqFactor {@code llama3}'s {@code high_freq_factor}; unused otherwise
 * @param originalMaxPositions {@code llama3}'s {@code original_max_position_embeddings}; unused otherwise
 */
public record Rope(Type type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositions) {

    /** The supported {@code rope_type} values. */
    public enum Type {
        DEFAULT("default"), LINEAR("linear"), LLAMA3("llama3");

        private final String configName;

        Type(String configName) {
            this.configName = configName;
        }

        /** The name in {@code config.json}. */
        public String configName() {
            return configName;
        }
    }

    public Rope {
        Objects.requireNonNull(type, "type");
        if (!(theta > 0) || !Double.isFinite(theta)) {
            throw new IllegalArgumentException("rope_theta must be > 0, got " + theta);
        }
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("rope factor must be > 0, got " + factor);
        }
        if (type == Type.LLAMA3) {
            if (!(highFreqFactor > lowFreqFactor) || !(lowFreqFactor > 0)) {
                throw new IllegalArgumentException("llama3 rope needs high_freq_factor > low_freq_factor > 0, got "
                        + highFreqFactor + " and " + lowFreqFactor);
            }
            if (originalMaxPositions < 1) {
                throw new IllegalArgumentException("llama3 rope needs original_max_position_embeddings >= 1, got "
                        + originalMaxPositions);
            }
        }
    }

    /** Unscaled rotary embeddings with base {@code theta}. */
    public static Rope of(double theta) {
        return new Rope(Type.DEFAULT, theta, 1.0, 0, 0, 0);
    }

    /**
     * The {@code headDim / 2} inverse frequencies: {@code 1 / theta^(2i / headDim)}, then scaled.
     *
     * @param headDim the rotated dimension, even
     */
    public float[] inverseFrequencies(int headDim) {
        if (headDim < 2 || headDim % 2 != 0) {
            throw new IllegalArgumentException("rotary dimension must be even and >= 2, got " + headDim);
        }
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            inv[i] = 1.0f / (float) Math.pow((float) theta, exponent);
        }
        return switch (type) {
            case DEFAULT -> inv;
            case LINEAR -> divide(inv, (float) factor);
            case LLAMA3 -> llama3(inv);
        };
    }

    private static float[] divide(float[] inv, float by) {
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            out[i] = inv[i] / by;
        }
        return out;
    }

    /** transformers' {@code _compute_llama3_parameters}, element by element, in the same float32 steps. */
    private float[] llama3(float[] inv) {
        float f = (float) factor;
        float low = (float) lowFreqFactor;
        float high = (float) highFreqFactor;
        float oldContext = (float) originalMaxPositions;
        float lowFreqWavelen = (float) (originalMaxPositions / lowFreqFactor);
        float highFreqWavelen = (float) (originalMaxPositions / highFreqFactor);
        float twoPi = (float) (2 * Math.PI);
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            float wavelen = twoPi / inv[i];
            float scaled = wavelen > lowFreqWavelen ? inv[i] / f : inv[i];
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            if (medium) {
                float smooth = (oldContext / wavelen - low) / (high - low);
                scaled = (1 - smooth) * scaled / f + smooth * scaled;
            }
            out[i] = scaled;
        }
        return out;
    }
}
