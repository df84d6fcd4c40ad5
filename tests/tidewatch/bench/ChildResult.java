package tidewatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a measured JVM reports back: a flat JSON object of numbers and number arrays, written by hand so that
 * reporting loads nothing the function would not. Times are {@link System#nanoTime()} readings: on Linux that is
 * CLOCK_MONOTONIC, one clock for every process of the machine, so the parent subtracts its own reading taken just
 * before it started the process.
 */
final class ChildResult {
    private final Map<String, String> members = new LinkedHashMap<>();

    ChildResult put(String name, long value) {
        members.put(name, Long.toString(value));
        return this;
    }

    ChildResult put(String name, String value) {
        members.put(name, value == null ? "null" : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n").replace("\r", "") + '"');
        return this;
    }

    ChildResult put(String name, long[] values, int count) {
        StringBuilder array = new StringBuilder(count * 8).append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                array.append(',');
            }
            array.append(values[i]);
        }
        members.put(name, array.append(']').toString());
        return this;
    }

    void write(Path file) throws IOException {
        StringBuilder json = new StringBuilder("{");
        members.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value));
        Files.writeString(file, json.append('}'), StandardCharsets.UTF_8);
    }

    /** Peak resident set size of this process so far ({@code VmHWM}), in KiB; -1 where /proc is missing. */
    static long peakResidentKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
