package tidewatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tidewatch.json.JsonObject;

/**
 * The cold-start verdict of issue 18 (the median of the per-sample ratios of a function to its floor, within 1.05) and
 * the CPU share of {@code --memory}.
 */
class BenchmarkTest {
    @Test
    void theFloorRatioIsTheMedianOfEachSamplesPairNotTheRatioOfMedians() {
        // Sample 2 ran on a busy machine: both JVMs slow, their ratio as the others'.
        List<Benchmark.Sample> function = List.of(cold(700), cold(1400), cold(720));
        List<Benchmark.Sample> floor = List.of(cold(680), cold(1300), cold(700));
        double ratio = Benchmark.Report.functionToFloor(function, floor);
        // The ratios 1.0294, 1.0769 and 1.0286: their middle, not 720/700 (1.0286), the ratio of the medians.
        assertEquals(700.0 / 680, ratio, 1e-9);
        assertTrue(Benchmark.Report.withinFloor(ratio));
        assertFalse(Benchmark.Report.withinFloor(1.06));
        assertTrue(Benchmark.Report.withinFloor(1.05));
    }

    @Test
    void theCpuQuotaIsLambdasShareOfAVcpuForTheMemorySize() {
        assertEquals(14_471, CpuShare.quotaMicros(256));
        assertEquals(28_943, CpuShare.quotaMicros(512));
        assertEquals(100_000, CpuShare.quotaMicros(1769));
        assertEquals(100_000, CpuShare.quotaMicros(3008), "capped at one CPU");
    }

    /** A function JVM whose init+first took {@code ms}: ready at half of it after start, first invocation the rest. */
    private static Benchmark.Sample cold(long ms) {
        long start = 1_000_000_000L;
        long ready = start + ms * 500_000L;
        return new Benchmark.Sample("function", start, JsonObject.of(Map.of("ready", ready, "firstStart", ready,
                "firstDone", start + ms * 1_000_000L), "sample"));
    }
}
