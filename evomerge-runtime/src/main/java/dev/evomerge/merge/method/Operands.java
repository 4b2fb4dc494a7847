package dev.evomerge.merge.method;

import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import dev.evomerge.merge.InputTensor;
import dev.evomerge.merge.TensorMergeInput;
import dev.evomerge.merge.TensorMergeSpec;
import dev.evomerge.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A kernel's working view of one tensor's inputs: values and shapes, which the shape rules may cut. Also holds
 * the shape rules themselves (mergekit's {@code rectify_embed_sizes} and the size checks), usable on a spec alone
 * at plan time.
 *
 * <p>One per call; not thread-safe.
 */
final class Operands {

    private final TensorMergeSpec spec;
    private final float[][] values;
    private final Shape[] shapes;

    Operands(TensorMergeInput input) {
        this.spec = input.spec();
        int n = spec.size();
        this.values = new float[n][];
        this.shapes = new Shape[n];
        for (int i = 0; i < n; i++) {
            values[i] = input.values(i);
            shapes[i] = spec.input(i).shape();
        }
    }

    /**
     * The operands of a method that merges the base and one other model (slerp, arcee_fusion), embeddings cut to
     * their common submatrix; {@link #base()} and {@link #other()} name them.
     */
    static Operands baseAndOther(TensorMergeInput input, EventListener events) {
        Operands ops = new Operands(input);
        ops.rectifyEmbeddings(new int[] {ops.base(), ops.other()}, events);
        return ops;
    }

    TensorMergeSpec spec() {
        return spec;
    }

    int size() {
        return values.length;
    }

    int base() {
        return spec.baseIndex();
    }

    InputTensor input(int i) {
        return spec.input(i);
    }

    float[] values(int i) {
        return values[i];
    }

    Shape shape(int i) {
        return shapes[i];
    }

    /** The one input besides the base, for a method that merges the base and one other. */
    int other() {
        return 1 - spec.baseIndex();
    }

    /** Every input index, base included, in input order. */
    int[] all() {
        return allOf(spec);
    }

    static int[] allOf(TensorMergeSpec spec) {
        int[] all = new int[spec.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    /** The indices of the inputs other than the base, in input order. */
    int[] others() {
        return othersOf(spec);
    }

    static int[] othersOf(TensorMergeSpec spec) {
        int[] others = new int[spec.size() - (spec.hasBase() ? 1 : 0)];
        for (int i = 0, j = 0; i < spec.size(); i++) {
            if (i != spec.baseIndex()) {
                others[j++] = i;
            }
        }
        return others;
    }

    /**
     * mergekit's {@code rectify_embed_sizes}: when the weight is an embedding and the chosen inputs are all 2-D
     * but differ in shape, each is cut to the common top-left submatrix [min rows, min columns], with a warning.
     */
    void rectifyEmbeddings(int[] which, EventListener events) {
        Shape common = rectifiedShape(spec, which);
        if (common == null) {
            return;
        }
        for (int i : which) {
            values[i] = topLeft(values[i], shapes[i], common);
            shapes[i] = common;
        }
        events.warn("Using common submatrix of size " + common + " for " + spec.outputName());
    }

    /** The shape {@link #rectifyEmbeddings} would cut to, or null when it leaves the inputs alone. */
    static Shape rectifiedShape(TensorMergeSpec spec, int[] which) {
        if (!spec.embedding()) {
            return null;
        }
        long rows = Long.MAX_VALUE;
        long cols = Long.MAX_VALUE;
        boolean differ = false;
        Shape first = spec.input(which[0]).shape();
        for (int i : which) {
            Shape s = spec.input(i).shape();
            if (s.rank() != 2) {
                return null;
            }
            rows = Math.min(rows, s.dim(0));
            cols = Math.min(cols, s.dim(1));
            differ |= !s.equals(first);
        }
        return differ ? Shape.of(rows, cols) : null;
    }

    /**
     * The one shape the chosen inputs share after rectification.
     *
     * @throws RunException naming the tensor and the shapes, as mergekit's "Tensor size mismatch"
     */
    static Shape requireSameShape(String method, TensorMergeSpec spec, int[] which) {
        Shape rectified = rectifiedShape(spec, which);
        if (rectified != null) {
            return rectified;
        }
        Set<String> distinct = new LinkedHashSet<>();
        List<String> labels = new ArrayList<>();
        for (int i : which) {
            distinct.add(spec.input(i).shape().toString());
            labels.add(spec.input(i).label() + " " + spec.input(i).shape());
        }
        if (distinct.size() > 1) {
            throw new RunException(method + ": tensor size mismatch for " + spec.outputName() + ": "
                    + String.join(", ", labels),
                    "merge models of the same architecture and size (only embeddings of different vocabulary sizes"
                            + " are cut to a common size, and not by every method)");
        }
        return spec.input(which[0]).shape();
    }

    /** The top-left {@code to} submatrix of a row-major {@code from} matrix. */
    static float[] topLeft(float[] v, Shape from, Shape to) {
        int cols = Math.toIntExact(from.dim(1));
        int rows2 = Math.toIntExact(to.dim(0));
        int cols2 = Math.toIntExact(to.dim(1));
        if (rows2 == from.dim(0) && cols2 == cols) {
            return v;
        }
        float[] out = new float[rows2 * cols2];
        for (int r = 0; r < rows2; r++) {
            System.arraycopy(v, r * cols, out, r * cols2, cols2);
        }
        return out;
    }
}
