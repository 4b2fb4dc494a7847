package dev.evomerge.exec;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real one-node Slurm cluster for tests, private to a folder: its own munge key and socket, its own
 * {@code slurm.conf} (reached through {@code SLURM_CONF}), state, logs and PID files in the folder, the controller and
 * the node daemon on loopback ports of their own. Started as root (the Debian packages {@code slurm-wlm} and
 * {@code munge}), stopped by the PID files it wrote; jobs left are cancelled first.
 */
public final class SlurmCluster implements AutoCloseable {

    final Path dir;
    final Path conf;
    final String node;

    private SlurmCluster(Path dir, String node) {
        this.dir = dir;
        this.conf = dir.resolve("slurm.conf");
        this.node = node;
    }

    /** Whether this machine can run one: the daemons installed and the user root. */
    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/slurmctld")) && Files.isExecutable(Path.of("/usr/sbin/slurmd"))
                && Files.isExecutable(Path.of("/usr/sbin/munged")) && "root".equals(System.getProperty("user.name"));
    }

    public static SlurmCluster start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String node = exec(List.of("hostname", "-s"), Map.of()).strip();
        SlurmCluster c = new SlurmCluster(dir, node);
        c.startDaemons();
        return c;
    }

    private void startDaemons() throws IOException, InterruptedException {
        Path munge = dir.resolve("munge");
        Files.createDirectories(munge);
        Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwx--x--x"));
        Path key = munge.resolve("munge.key");
        byte[] bytes = new byte[128];
        new SecureRandom().nextBytes(bytes);
        Files.write(key, bytes);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        exec(List.of("/usr/sbin/munged", "--force", "--socket=" + munge.resolve("munge.socket"),
                "--key-file=" + key, "--pid-file=" + munge.resolve("munged.pid"),
                "--log-file=" + munge.resolve("munged.log"), "--seed-file=" + munge.resolve("munged.seed"),
                "--num-threads=1"), Map.of());
        for (String d : List.of("ctld", "d", "log")) {
            Files.createDirectories(dir.resolve(d));
        }
        int ctld = freePort();
        int slurmd = freePort();
        Files.writeString(conf, String.join("\n",
                "ClusterName=evomergetest",
                "SlurmctldHost=" + node + "(127.0.0.1)",
                "SlurmctldPort=" + ctld,
                "SlurmdPort=" + slurmd,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "AuthInfo=socket=" + munge.resolve("munge.socket"),
                "CredType=cred/munge",
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_CPU_Memory",
                "AccountingStorageType=accounting_storage/none",
                "JobAcctGatherType=jobacct_gather/none",
                "JobCompType=jobcomp/none",
                "MpiDefault=none",
                "StateSaveLocation=" + dir.resolve("ctld"),
                "SlurmdSpoolDir=" + dir.resolve("d"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ReturnToService=2",
                "SchedulerParameters=sched_interval=1",
                "MessageTimeout=5",
                "MinJobAge=300",
                "NodeName=" + node + " NodeAddr=127.0.0.1 CPUs=2 RealMemory=8000 State=UNKNOWN",
                "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP", ""));
        exec(List.of("/usr/sbin/slurmctld"), env());
        exec(List.of("/usr/sbin/slurmd"), env());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!nodeState().startsWith("idle")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Slurm node did not become idle: " + nodeState());
            }
            Thread.sleep(100);
        }
    }

    /** The environment Slurm's commands need to find this cluster. */
    public Map<String, String> env() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    String nodeState() throws IOException, InterruptedException {
        try {
            return run("sinfo", "--noheader", "--format=%T").strip();
        } catch (IllegalStateException e) {
            return "unreachable";
        }
    }

    /** Runs a Slurm command against this cluster and returns its output. */
    String run(String... argv) throws IOException, InterruptedException {
        return exec(List.of(argv), env());
    }

    /** This cluster's queue: one line per array task, {@code JOB_INDEX STATE NAME REASON}. */
    List<String> queue() throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (String l : run("squeue", "--noheader", "--array", "--format=%i %T %j %r").split("\n")) {
            if (!l.isBlank()) {
                lines.add(l.strip());
            }
        }
        return lines;
    }

    private static String exec(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(argv + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run("scancel", "--user=root");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!queue().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (RuntimeException e) {
            // the controller is gone already: stop what is left
        }
        stop(dir.resolve("slurmd.pid"));
        stop(dir.resolve("slurmctld.pid"));
        stop(dir.resolve("munge/munged.pid"));
    }

    /** Ends the process a PID file names (TERM, then KILL after ten seconds) and waits for it. */
    private static void stop(Path pidFile) throws IOException, InterruptedException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handle.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (handle.get().isAlive()) {
            handle.get().destroyForcibly();
        }
    }
}
