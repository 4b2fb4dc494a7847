package dev.evomerge.eval.task;

import dev.evomerge.diag.Requires;
import java.util.Map;

/**
 * One document of a task: a record of a dataset split, with where it is (for few-shot draws, sample logs and
 * messages).
 *
 * @param split the split it belongs to
 * @param index its position in the split, from 0 (lm-evaluation-harness's {@code doc_id})
 * @param fields its fields (shared with the dataset; never modified)
 */
public record Doc(String split, int index, Map<String, Object> fields) {

    public Doc {
        Requires.nonNull("split, fields", split, fields);
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
    }

    /** "document 3 of split 'test'", for messages. */
    public String describe() {
        return "document " + index + " of split '" + split + "'";
    }
}
