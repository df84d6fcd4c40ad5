package tidewatch.ecs;

/**
 * The verdict on one task stop.
 *
 * @param explanation plain words for people, with the specifics (container, exit code, memory limit, advice)
 * @param container   the container that caused the stop, when one did; its logs are the evidence
 */
record Diagnosis(StopCause cause, String explanation, String container) {
    public boolean abnormal() {
        return cause.abnormal();
    }
}
