package dev.evomerge.search.space;

/**
 * The two largest of a few numbers in the order {@code torch.topk(values, 2)} returns them on CPU, ties included.
 * slerp's rule in mergekit-evolve takes the two models with the largest gene through {@code torch.topk}, and both
 * start points (every weight 1/M, or 0.5 everywhere) are nothing but ties, so which two models are taken is decided
 * by torch's selection algorithm, not by the values: for four equal values torch returns indices 2 and 3.
 *
 * <p>torch fills a vector of (value, index) pairs and, since {@code k·64 > n} for fewer than 128 values, calls
 * {@code std::nth_element} with "greater" as the order; from 128 values on it calls {@code std::partial_sort}. The
 * standard leaves the order of equal elements open, so this follows GNU libstdc++'s algorithms step by step
 * (introselect with median-of-three pivots and a final insertion sort; heap selection and heap sort), which is
 * what the Linux builds of torch use. {@code TorchTopTwoTest} checks it against torch on vectors full of ties.
 *
 * <p>Stateless and thread-safe.
 */
final class TorchTopTwo {

    private TorchTopTwo() {
    }

    /**
     * The indices of the largest and the second largest value, as torch returns them.
     *
     * @param values at least two finite numbers
     */
    static int[] of(double[] values) {
        if (values.length < 2) {
            throw new IllegalArgumentException("need at least two values, got " + values.length);
        }
        Selection s = new Selection(values);
        int n = values.length;
        if (2 * 64 <= n) {
            s.heapSelect(0, 2, n);
            s.sortHeap(0, 2);
        } else {
            s.introselect(0, 1, n, 2 * floorLog2(n));
        }
        return new int[] {s.order[0], s.order[1]};
    }

    private static int floorLog2(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }

    /** libstdc++'s algorithms on a permutation of indices, ordered by "greater value comes first". */
    private static final class Selection {
        private final double[] values;
        private final int[] order;

        Selection(double[] values) {
            this.values = values;
            this.order = new int[values.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
        }

        /** torch's comparator for {@code largest=true}: the element at position a goes before the one at b. */
        private boolean before(int a, int b) {
            return values[order[a]] > values[order[b]];
        }

        /** The comparator with a held element on the left. */
        private boolean before(int held, int b, boolean heldLeft) {
            return heldLeft ? values[held] > values[order[b]] : values[order[b]] > values[held];
        }

        private void swap(int a, int b) {
            int t = order[a];
            order[a] = order[b];
            order[b] = t;
        }

        /** {@code std::__introselect}. */
        void introselect(int first, int nth, int last, int depthLimit) {
            while (last - first > 3) {
                if (depthLimit == 0) {
                    heapSelect(first, nth + 1, last);
                    swap(first, nth);
                    return;
                }
                depthLimit--;
                int cut = partitionPivot(first, last);
                if (cut <= nth) {
                    first = cut;
                } else {
                    last = cut;
                }
            }
            insertionSort(first, last);
        }

        /** {@code std::__unguarded_partition_pivot}. */
        private int partitionPivot(int first, int last) {
            int mid = first + (last - first) / 2;
            moveMedianToFirst(first, first + 1, mid, last - 1);
            return unguardedPartition(first + 1, last, first);
        }

        /** {@code std::__move_median_to_first}. */
        private void moveMedianToFirst(int result, int a, int b, int c) {
            if (before(a, b)) {
                if (before(b, c)) {
                    swap(result, b);
                } else if (before(a, c)) {
                    swap(result, c);
                } else {
                    swap(result, a);
                }
            } else if (before(a, c)) {
                swap(result, a);
            } else if (before(b, c)) {
                swap(result, c);
            } else {
                swap(result, b);
            }
        }

        /** {@code std::__unguarded_partition}. */
        private int unguardedPartition(int first, int last, int pivot) {
            while (true) {
                while (before(first, pivot)) {
                    first++;
                }
                last--;
                while (before(pivot, last)) {
                    last--;
                }
                if (!(first < last)) {
                    return first;
                }
                swap(first, last);
                first++;
            }
        }

        /** {@code std::__insertion_sort}. */
        private void insertionSort(int first, int last) {
            if (first == last) {
                return;
            }
            for (int i = first + 1; i != last; i++) {
                if (before(i, first)) {
                    int held = order[i];
                    System.arraycopy(order, first, order, first + 1, i - first);
                    order[first] = held;
                } else {
                    unguardedLinearInsert(i);
                }
            }
        }

        /** {@code std::__unguarded_linear_insert}. */
        private void unguardedLinearInsert(int last) {
            int held = order[last];
            int next = last - 1;
            while (before(held, next, true)) {
                order[last] = order[next];
                last = next;
                next--;
            }
            order[last] = held;
        }

        /** {@code std::__heap_select}. */
        void heapSelect(int first, int middle, int last) {
            makeHeap(first, middle);
            for (int i = middle; i < last; i++) {
                if (before(i, first)) {
                    popHeap(first, middle, i);
                }
            }
        }

        /** {@code std::__sort_heap}. */
        void sortHeap(int first, int last) {
            while (last - first > 1) {
                last--;
                popHeap(first, last, last);
            }
        }

        /** {@code std::__make_heap}. */
        private void makeHeap(int first, int last) {
            int len = last - first;
            if (len < 2) {
                return;
            }
            int parent = (len - 2) / 2;
            while (true) {
                adjustHeap(first, parent, len, order[first + parent]);
                if (parent == 0) {
                    return;
                }
                parent--;
            }
        }

        /** {@code std::__pop_heap}. */
        private void popHeap(int first, int last, int result) {
            int held = order[result];
            order[result] = order[first];
            adjustHeap(first, 0, last - first, held);
        }

        /** {@code std::__adjust_heap}. */
        private void adjustHeap(int first, int holeIndex, int len, int held) {
            int topIndex = holeIndex;
            int secondChild = holeIndex;
            while (secondChild < (len - 1) / 2) {
                secondChild = 2 * (secondChild + 1);
                if (before(first + secondChild, first + (secondChild - 1))) {
                    secondChild--;
                }
                order[first + holeIndex] = order[first + secondChild];
                holeIndex = secondChild;
            }
            if ((len & 1) == 0 && secondChild == (len - 2) / 2) {
                secondChild = 2 * (secondChild + 1);
                order[first + holeIndex] = order[first + (secondChild - 1)];
                holeIndex = secondChild - 1;
            }
            pushHeap(first, holeIndex, topIndex, held);
        }

        /** {@code std::__push_heap}. */
        private void pushHeap(int first, int holeIndex, int topIndex, int held) {
            int parent = (holeIndex - 1) / 2;
            while (holeIndex > topIndex && before(held, first + parent, false)) {
                order[first + holeIndex] = order[first + parent];
                holeIndex = parent;
                parent = (holeIndex - 1) / 2;
            }
            order[first + holeIndex] = held;
        }
    }
}
