package tidewatch.lambda;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Reads started ahead of the moment their result is needed, on threads of their own, so that independent calls
 * overlap their round trips (the datacenter's state while the crash count is read; a container's log lines while the
 * silences are read) instead of adding them up. Each read is bounded by its own call timeout; {@link #join} waits
 * at most that long, and a read that fails or outlasts it gets its caller's fallback. Idle threads end, so a
 * SnapStart snapshot holds none.
 */
public final class ReadsAhead {
    private final ThreadPoolExecutor threads;

    public ReadsAhead(int threads, String name) {
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.threads.allowCoreThreadTimeOut(true);
    }

    /** Starts the read; it must never throw (its own failures are its result) and must end within its own timeout. */
    public <T> Future<T> start(Supplier<T> read) {
        return threads.submit(read::get);
    }

    /**
     * The read's result, waiting at most {@code wait} for it; {@code fallback} when it threw, outlasted the wait or
     * the wait was interrupted (the read itself then ends on its own timeout, unheard).
     */
    public static <T> T join(Future<T> read, Duration wait, Supplier<T> fallback) {
        try {
            return read.get(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            read.cancel(true);
            return fallback.get();
        } catch (ExecutionException | TimeoutException e) {
            read.cancel(true);
            return fallback.get();
        }
    }
}
