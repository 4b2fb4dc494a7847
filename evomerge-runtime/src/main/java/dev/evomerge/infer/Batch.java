package dev.evomerge.infer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A left-padded block of token rows: ids row-major with padding (id 0) before each row's tokens, and how many
 * padding columns each row has.
 *
 * @param ids [rows · width] token ids
 * @param padLeft padding columns per row
 */
record Batch(long[] ids, int[] padLeft) {

    /**
     * Left-pads {@code rows} to {@code width} columns.
     *
     * @throws IllegalArgumentException when a row is empty, too long, or holds an id outside {@code [0, vocab)}
     */
    static Batch leftPadded(List<int[]> rows, int width, int vocab) {
        long[] ids = new long[rows.size() * width];
        int[] pad = new int[rows.size()];
        for (int b = 0; b < rows.size(); b++) {
            int[] row = rows.get(b);
            if (row.length == 0 || row.length > width) {
                throw new IllegalArgumentException("row " + b + " has " + row.length + " tokens; need 1 to " + width);
            }
            pad[b] = width - row.length;
            for (int t = 0; t < row.length; t++) {
                if (row[t] < 0 || row[t] >= vocab) {
                    throw new IllegalArgumentException("token id " + row[t] + " is outside the vocabulary [0, "
                            + vocab + ")");
                }
                ids[b * width + pad[b] + t] = row[t];
            }
        }
        return new Batch(ids, pad);
    }

    /**
     * Request indices grouped into batches of at most {@code size}, longest first (ties in request order), so that
     * rows of similar length share a batch.
     */
    static List<int[]> longestFirst(int[] lengths, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + size);
        }
        int[] order = IntStream.range(0, lengths.length).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -lengths[i]))
                .mapToInt(Integer::intValue).toArray();
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += size) {
            batches.add(java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + size)));
        }
        return batches;
    }

    /** The last {@code n} elements of {@code tokens} (all of them when there are fewer). */
    static int[] lastTokens(int[] tokens, int n) {
        return tokens.length <= n ? tokens : java.util.Arrays.copyOfRange(tokens, tokens.length - n, tokens.length);
    }
}
