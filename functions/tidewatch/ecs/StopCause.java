package tidewatch.ecs;

/** Why a task stopped, in the terms people act on. */
enum StopCause {
    DEPLOYMENT("replaced by a deployment", false),
    SCALE_IN("stopped by service scale-in", false),
    USER_STOP("stopped by a user or API call", false),
    COMPLETED("ran to completion (every essential container exited 0)", false),
    CRASH("an essential container exited with an error", true),
    OUT_OF_MEMORY("a container was killed for running out of memory", true),
    ELB_HEALTH_CHECK("failed the load balancer's health checks", true),
    CONTAINER_HEALTH_CHECK("failed its container health check", true),
    FAILED_TO_START("failed to start", true),
    INFRASTRUCTURE("lost its host or capacity (instance stopped, drained, Spot interruption)", true),
    UNKNOWN("stopped for a reason Tidewatch does not recognise", true);

    private final String plainWords;
    private final boolean abnormal;

    StopCause(String plainWords, boolean abnormal) {
        this.plainWords = plainWords;
        this.abnormal = abnormal;
    }

    public String plainWords() {
        return plainWords;
    }

    public boolean abnormal() {
        return abnormal;
    }
}
