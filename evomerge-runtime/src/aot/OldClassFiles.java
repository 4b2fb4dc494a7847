import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Rewrites the class files older than Java 6 (major version below 50) in the jars of a folder as Java 8 class files
 * with stack maps, the same bytecode otherwise. The package build runs it on the command line's {@code lib/} before it
 * records the ahead-of-time cache: JDK 25 leaves a class file older than Java 6 out of the cache once a training run
 * has used it ("Old class has been linked"), and picocli ships as Java 5 class files, so without this every start of
 * {@code evomerge} reads, parses and verifies picocli's 228 classes from its jar (about half of a short command's CPU
 * time), and {@code evaluate} jinjava's expression-language classes.
 *
 * <p>Run as a source-file program: {@code java OldClassFiles.java DIR}. A jar without old class files is left as it
 * is, so a second run changes nothing.
 */
public final class OldClassFiles {

    private static final int JAVA_6 = 50;
    private static final int JAVA_8 = 52;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java OldClassFiles.java DIR");
            System.exit(2);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                int rewritten = rewrite(jar);
                if (rewritten > 0) {
                    System.out.println("[aot] " + jar.getFileName() + ": " + rewritten
                            + " class files older than Java 6 rewritten as Java 8");
                }
            }
        }
    }

    /** Rewrites {@code jar} through a temporary sibling when it holds old class files; returns how many. */
    private static int rewrite(Path jar) throws IOException {
        if (!hasOldClassFiles(jar)) {
            return 0;
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int rewritten = 0;
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            ClassFile classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(
                            ClassHierarchyResolver.ofResourceParsing(c -> classBytes(in, c))).cached()));
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                for (Enumeration<JarEntry> entries = in.entries(); entries.hasMoreElements();) {
                    JarEntry entry = entries.nextElement();
                    byte[] bytes = in.getInputStream(entry).readAllBytes();
                    if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")
                            && major(bytes) < JAVA_6) {
                        bytes = upgrade(classFile, bytes);
                        rewritten++;
                    }
                    JarEntry copy = new JarEntry(entry.getName());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot rewrite the old class files of " + jar + ": " + e, e);
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return rewritten;
    }

    /** Whether a class file of {@code jar} is older than Java 6, reading each one's header only. */
    private static boolean hasOldClassFiles(Path jar) throws IOException {
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            for (Enumeration<JarEntry> entries = in.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
                    try (InputStream header = in.getInputStream(entry)) {
                        if (major(header.readNBytes(8)) < JAVA_6) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The class at Java 8's version; every method body passes through the builder, which adds the stack maps. */
    private static byte[] upgrade(ClassFile classFile, byte[] bytes) {
        ClassModel model = classFile.parse(bytes);
        return classFile.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                .andThen((builder, element) -> {
                    if (element instanceof ClassFileVersion) {
                        builder.withVersion(JAVA_8, 0);
                    } else {
                        builder.with(element);
                    }
                }));
    }

    private static int major(byte[] bytes) {
        return bytes.length < 8 ? Integer.MAX_VALUE : (bytes[6] & 0xff) << 8 | (bytes[7] & 0xff);
    }

    private static InputStream classBytes(JarFile jar, ClassDesc c) {
        String descriptor = c.descriptorString();
        JarEntry entry = jar.getJarEntry(descriptor.substring(1, descriptor.length() - 1) + ".class");
        try {
            return entry == null ? null : jar.getInputStream(entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
