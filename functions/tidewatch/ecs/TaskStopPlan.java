package tidewatch.ecs;

import tidewatch.notify.Severity;

/**
 * What {@link TaskStopDecision} decided for one task stop.
 *
 * @param action     what Tidewatch does, in words; for a restart, the policy and count that
 *                   {@link TaskStopDecision#restartResult} completes once RunTask has answered
 * @param restart    the RunTask to make, or null
 * @param crashCount the service's or family's recent abnormal stops, where they were counted
 */
record TaskStopPlan(boolean tellPeople, Severity severity, String action, RestartRequest restart, CrashLoop.Count crashCount) {}
