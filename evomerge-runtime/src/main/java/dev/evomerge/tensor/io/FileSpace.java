package dev.evomerge.tensor.io;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reserves a new file's blocks before it is written, with Linux's {@code fallocate}, where the JVM allows native
 * calls ({@code --enable-native-access}, which the command-line jar declares). Writing into reserved blocks costs the
 * file system less than allocating them page by page as the writes come: on ext4, 0.15 s of system time against
 * 0.24 s for 1.34 GB written 128 KB at a time. Elsewhere, or when the call fails, nothing is reserved and the writes
 * allocate as before.
 *
 * <p>Making the native calls ready takes a fresh JVM about 60 ms of CPU time, so
 * {@link #startLookingUpNativeCalls()} looks them up on a thread of its own while a merge reads its configuration
 * and plans; {@link #reserve} starts the look-up if nobody did and waits for it.
 *
 * <p>Thread-safe.
 */
public final class FileSpace {

    /** The C library's calls, null where they are not to be used; looked up on a thread of their own. */
    private static final CompletableFuture<Calls> CALLS = new CompletableFuture<>();
    private static final AtomicBoolean LOOK_UP_STARTED = new AtomicBoolean();

    private static final int O_WRONLY = 1;

    private FileSpace() {
    }

    /**
     * Starts looking up the C library's {@code open}, {@code fallocate} and {@code close} on a daemon thread, unless
     * that has started already, and returns without waiting for it.
     */
    public static void startLookingUpNativeCalls() {
        if (LOOK_UP_STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("evomerge-file-space").start(() -> {
                try {
                    CALLS.complete(Calls.lookUp());
                } finally {
                    // whatever went wrong, reserve must not wait forever
                    CALLS.complete(null);
                }
            });
        }
    }

    /**
     * Reserves {@code length} bytes of {@code file} from {@code offset}, extending the file to at least
     * {@code offset + length} bytes. Returns whether it did.
     */
    static boolean reserve(Path file, long offset, long length) {
        startLookingUpNativeCalls();
        Calls calls = CALLS.join();
        if (calls == null || length <= 0) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) calls.open.invokeExact(arena.allocateFrom(file.toAbsolutePath().toString()), O_WRONLY, 0);
            if (fd < 0) {
                return false;
            }
            int result = -1;
            try {
                result = (int) calls.fallocate.invokeExact(fd, 0, offset, length);
            } finally {
                // 0 from both calls, or it did not
                result |= (int) calls.close.invokeExact(fd);
            }
            return result == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * {@code int open(const char*, int, ...)} (called with a mode, as a variadic argument),
     * {@code int fallocate(int, int, off_t, off_t)} and {@code int close(int)}.
     */
    private record Calls(MethodHandle open, MethodHandle fallocate, MethodHandle close) {

        static Calls lookUp() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                    || !FileSpace.class.getModule().isNativeAccessEnabled()) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                ValueLayout.OfInt i = ValueLayout.JAVA_INT;
                ValueLayout.OfLong l = ValueLayout.JAVA_LONG;
                return new Calls(
                        linker.downcallHandle(libc.findOrThrow("open"),
                                FunctionDescriptor.of(i, ValueLayout.ADDRESS, i, i), Linker.Option.firstVariadicArg(2)),
                        linker.downcallHandle(libc.findOrThrow("fallocate"), FunctionDescriptor.of(i, i, i, l, l)),
                        linker.downcallHandle(libc.findOrThrow("close"), FunctionDescriptor.of(i, i)));
            } catch (RuntimeException | LinkageError e) {
                // no native calls here: the writes allocate the blocks themselves
                return null;
            }
        }
    }
}
