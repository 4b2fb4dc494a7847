package dev.evomerge.eval.metric;

import java.util.List;
import java.util.Objects;

/**
 * A named {@code filter_list} entry: filters applied in order to the responses of each request. Its name is the
 * second half of every metric key the task reports ({@code exact_match,strict-match}). A task without
 * {@code filter_list} has the single pipeline {@link #NONE} (lm-evaluation-harness's {@code none}:
 * {@code take_first}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the pipeline's name
 * @param filters the steps, in order
 */
public record FilterPipeline(String name, List<ResponseFilter> filters) {

    /** lm-evaluation-harness's default pipeline. */
    public static final FilterPipeline NONE = new FilterPipeline("none", List.of(new ResponseFilter.TakeFirst()));

    public FilterPipeline {
        Objects.requireNonNull(name, "name");
        filters = List.copyOf(filters);
    }

    /**
     * The filtered response for one request's responses. evomerge makes one response per request, so a pipeline
     * that does not end in {@code take_first} still gives one value: its first.
     */
    public String apply(List<String> responses) {
        List<String> out = responses;
        for (ResponseFilter f : filters) {
            out = f.apply(out);
        }
        return out.isEmpty() ? "" : out.getFirst();
    }
}
