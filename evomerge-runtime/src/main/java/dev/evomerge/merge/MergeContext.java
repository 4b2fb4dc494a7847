package dev.evomerge.merge;

import dev.evomerge.diag.Requires;
import dev.evomerge.event.EventListener;

/**
 * What a merge method may use besides its input: the run's {@link CounterRandom} (stochastic methods draw only
 * from it) and the listener that receives warnings such as "skipping a model whose tensor has another shape".
 *
 * <p>Immutable; thread-safe when the listener is (listeners must be).
 *
 * @param random the run's generator, seeded from {@code --seed}
 * @param events where warnings go
 */
public record MergeContext(CounterRandom random, EventListener events) {

    public MergeContext {
        Requires.nonNull("random, events", random, events);
    }

    /** A context with seed 0 that drops warnings, for tests and tools. */
    public static MergeContext quiet() {
        return new MergeContext(new CounterRandom(0), EventListener.NONE);
    }
}
