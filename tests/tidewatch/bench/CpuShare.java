package tidewatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CPU a Lambda function of a given memory size gets, approximated on this machine for {@code bin/benchmark
 * --memory N}. Lambda allocates CPU in proportion to memory, one vCPU at {@value #ONE_VCPU_MIB} MB (AWS Lambda
 * Developer Guide, "Configuring function memory"), so 256 MB gets about 14% of a CPU and 512 MB about 29%. Where the
 * benchmark may create a cgroup (cgroup v1's {@code cpu} controller, or v2's {@code cpu.max}, writable: as root, or
 * in a delegated tree) each measured JVM starts inside one with a CFS quota of that share of a CPU per 100 ms
 * period; elsewhere the nearest approximation is one processor ({@code -XX:ActiveProcessorCount=1}), which limits
 * the JVM's threads but not its speed, and the report says which one was used.
 */
final class CpuShare implements AutoCloseable {
    static final int ONE_VCPU_MIB = 1769;
    static final int PERIOD_MICROS = 100_000;
    private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");
    private static final Path V2 = Path.of("/sys/fs/cgroup");

    private final int memoryMiB;
    private final Path cgroup; // null: no quota possible here
    private final boolean v2;

    private CpuShare(int memoryMiB, Path cgroup, boolean v2) {
        this.memoryMiB = memoryMiB;
        this.cgroup = cgroup;
        this.v2 = v2;
    }

    /** The quota, in microseconds per {@link #PERIOD_MICROS}, that gives a function of {@code memoryMiB} its CPU share. */
    static long quotaMicros(int memoryMiB) {
        return Math.max(1000, Math.round((double) PERIOD_MICROS * Math.min(memoryMiB, ONE_VCPU_MIB) / ONE_VCPU_MIB));
    }

    /** A cgroup with the share of {@code memoryMiB}, or the fallback when none can be made. */
    static CpuShare of(int memoryMiB) {
        String name = "tidewatch-bench-" + ProcessHandle.current().pid();
        try {
            if (Files.isWritable(V1.resolve("cgroup.procs"))) {
                Path dir = Files.createDirectories(V1.resolve(name));
                Files.writeString(dir.resolve("cpu.cfs_period_us"), Integer.toString(PERIOD_MICROS));
                Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(memoryMiB)));
                return new CpuShare(memoryMiB, dir, false);
            }
            if (Files.isRegularFile(V2.resolve("cgroup.controllers")) && Files.isWritable(V2.resolve("cgroup.procs"))) {
                Path dir = Files.createDirectories(V2.resolve(name));
                Files.writeString(dir.resolve("cpu.max"), quotaMicros(memoryMiB) + " " + PERIOD_MICROS);
                return new CpuShare(memoryMiB, dir, true);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("benchmark: no CPU quota (" + e + "); using -XX:ActiveProcessorCount=1 instead");
        }
        return new CpuShare(memoryMiB, null, false);
    }

    /** The command, started inside the cgroup (a shell that moves itself there, then becomes the JVM), or with one processor. */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>();
        if (cgroup == null) {
            wrapped.addAll(command);
            wrapped.add(1, "-XX:ActiveProcessorCount=1");
            return wrapped;
        }
        wrapped.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0\"/cgroup.procs && exec \"$@\"", cgroup.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    String describe() {
        double share = (double) quotaMicros(memoryMiB) / PERIOD_MICROS;
        return cgroup == null
                ? String.format(Locale.ROOT, "%d MB: -XX:MaxRAM=%dm, no CPU quota possible here, -XX:ActiveProcessorCount=1 instead "
                        + "(Lambda would give %.0f%% of a vCPU)", memoryMiB, memoryMiB, share * 100)
                : String.format(Locale.ROOT, "%d MB: -XX:MaxRAM=%dm and a CPU quota of %.1f%% of one CPU (%d of every %d us, cgroup %s %s), "
                        + "Lambda's share at %d MB for one vCPU", memoryMiB, memoryMiB, share * 100, quotaMicros(memoryMiB), PERIOD_MICROS,
                        v2 ? "v2" : "v1", cgroup, ONE_VCPU_MIB);
    }

    /** Removes the cgroup (once its processes have exited). */
    @Override
    public void close() {
        if (cgroup != null) {
            try {
                Files.deleteIfExists(cgroup);
            } catch (IOException e) {
                System.err.println("benchmark: cgroup " + cgroup + " not removed: " + e.getMessage());
            }
        }
    }
}
