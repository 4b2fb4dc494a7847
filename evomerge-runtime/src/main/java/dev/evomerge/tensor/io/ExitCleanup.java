package dev.evomerge.tensor.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What must not outlive an interrupted run: staging directories beside an output, owner files, evaluator process
 * groups. Each registers an action here for as long as it lives and closes the registration when it cleans up
 * itself; on SIGTERM, SIGINT (Ctrl-C) or {@code System.exit}, one JVM shutdown hook runs the actions still
 * registered, the newest first (a process writing into a staging directory is stopped before the directory is
 * deleted, as nested scopes would close). SIGKILL runs nothing: the next run into the same place removes what was
 * left ({@link StagedDirectory}, {@link OwnerFile}).
 *
 * <p>The one process-wide registry in the runtime, because a shutdown hook is process-wide. Thread-safe.
 */
public final class ExitCleanup {

    private static final Map<Registration, Runnable> ACTIONS = new LinkedHashMap<>();
    private static boolean hookInstalled;
    private static boolean exiting;

    private ExitCleanup() {
    }

    /** A registered action; closing it unregisters the action without running it. */
    public static final class Registration implements AutoCloseable {
        private Registration() {
        }

        @Override
        public void close() {
            synchronized (ACTIONS) {
                ACTIONS.remove(this);
            }
        }
    }

    /** Registers an action to run if the JVM exits before the returned registration is closed. */
    public static Registration register(Runnable action) {
        Registration r = new Registration();
        synchronized (ACTIONS) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::runAll, "evomerge-exit-cleanup"));
                hookInstalled = true;
            }
            if (!exiting) {
                ACTIONS.put(r, action);
            }
        }
        return r;
    }

    /** Whether the JVM is shutting down (the hook has started). */
    public static boolean exiting() {
        synchronized (ACTIONS) {
            return exiting;
        }
    }

    private static void runAll() {
        List<Runnable> pending;
        synchronized (ACTIONS) {
            exiting = true;
            pending = new ArrayList<>(ACTIONS.values());
            ACTIONS.clear();
        }
        for (Runnable action : pending.reversed()) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // the JVM is going down: one failed clean-up must not stop the others
            }
        }
    }
}
