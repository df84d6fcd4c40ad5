package tidewatch.ecs;

import java.util.Locale;

/**
 * A standalone task's Docker-style restart policy, read from its {@code tidewatch:restart} tag:
 * {@code no} (the default) | {@code on-failure} | {@code on-failure:N} | {@code always}. As in Docker, {@code always}
 * restarts after any stop except one a user asked for, and {@code on-failure} only after an abnormal stop;
 * N bounds the number of restarts, counted in the {@code tidewatch:restart-count} tag.
 */
record RestartPolicy(Mode mode, Integer maxRestarts) {
    public static final String TAG = "tidewatch:restart";
    public static final String COUNT_TAG = "tidewatch:restart-count";
    public static final RestartPolicy NO = new RestartPolicy(Mode.NO, null);

    public enum Mode { NO, ON_FAILURE, ALWAYS }

    /** Parses the tag value; a value outside the grammar is an IllegalArgumentException saying what is allowed. */
    public static RestartPolicy parse(String tag) {
        if (tag == null || tag.isBlank()) {
            return NO;
        }
        String value = tag.trim().toLowerCase(Locale.ROOT);
        if (value.equals("no")) {
            return NO;
        }
        if (value.equals("always")) {
            return new RestartPolicy(Mode.ALWAYS, null);
        }
        if (value.equals("on-failure")) {
            return new RestartPolicy(Mode.ON_FAILURE, null);
        }
        if (value.startsWith("on-failure:")) {
            String count = value.substring("on-failure:".length());
            if (count.matches("[0-9]{1,4}")) {
                return new RestartPolicy(Mode.ON_FAILURE, Integer.parseInt(count));
            }
        }
        throw new IllegalArgumentException("tag " + TAG + " must be no, on-failure, on-failure:N (N from 0 to 9999) or always");
    }

    /** Reads the restart count tag; anything but a non-negative whole number counts as 0. */
    public static int parseCount(String tag) {
        if (tag != null && tag.trim().matches("[0-9]{1,6}")) {
            return Integer.parseInt(tag.trim());
        }
        return 0;
    }

    /** Whether the policy asks for a restart after this cause, before counting. */
    public boolean wantsRestart(StopCause cause) {
        return switch (mode) {
            case NO -> false;
            case ON_FAILURE -> cause.abnormal();
            case ALWAYS -> cause != StopCause.USER_STOP;
        };
    }

    public boolean exhausted(int restartsSoFar) {
        return maxRestarts != null && restartsSoFar >= maxRestarts;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case NO -> "no";
            case ALWAYS -> "always";
            case ON_FAILURE -> maxRestarts == null ? "on-failure" : "on-failure:" + maxRestarts;
        };
    }
}
