package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tidewatch.datacenter.Reachability;

/** The outage rule's table: the datacenter down, up or unknown, against each kind of stop and point of a crash loop. */
class DatacenterOutageRuleTest {
    private static final CrashLoop LOOP = new CrashLoop(3, Duration.ofMinutes(15));
    private static final Instant DOWN_SINCE = Instant.parse("2026-11-24T09:03:15Z");

    private static Reachability datacenter(String state) {
        return switch (state) {
            case "down" -> new Reachability(Reachability.State.UNREACHABLE, DOWN_SINCE, "VPN vpn-0a1b2c3d4e5f67890: both tunnels DOWN");
            case "up" -> new Reachability(Reachability.State.REACHABLE, null, "VPN vpn-0a1b2c3d4e5f67890: 2 of 2 tunnels UP");
            case "unknown" -> Reachability.unknown("DescribeVpnConnections failed: denied");
            default -> Reachability.NOT_WATCHED;
        };
    }

    @ParameterizedTest(name = "datacenter {0}, {1}, {2} in a row -> told {4} as {5}, grouped {6}")
    @CsvSource(delimiter = '|', value = {
            // datacenter | cause | in a row | linked | told | severity | key is the outage's
            "down    | CRASH                  | 1 | true  | true  | WARNING  | true",
            "down    | CRASH                  | 3 | true  | false | WARNING  | true",
            "down    | CRASH                  | 6 | true  | false | WARNING  | true",
            "down    | ELB_HEALTH_CHECK       | 1 | true  | true  | WARNING  | true",
            "down    | CONTAINER_HEALTH_CHECK | 3 | true  | false | WARNING  | true",
            "down    | OUT_OF_MEMORY          | 1 | false | true  | WARNING  | false",
            "down    | OUT_OF_MEMORY          | 3 | false | true  | CRITICAL | false",
            "down    | FAILED_TO_START        | 3 | false | true  | CRITICAL | false",
            "down    | INFRASTRUCTURE         | 1 | false | true  | WARNING  | false",
            "down    | DEPLOYMENT             | 0 | false | false | INFO     | false",
            "up      | CRASH                  | 1 | false | true  | WARNING  | false",
            "up      | CRASH                  | 3 | false | true  | CRITICAL | false",
            "up      | CRASH                  | 6 | false | true  | CRITICAL | false",
            "unknown | CRASH                  | 3 | false | true  | CRITICAL | false",
            "unknown | ELB_HEALTH_CHECK       | 1 | false | true  | WARNING  | false",
            "unwatched | CRASH                | 3 | false | true  | CRITICAL | false",
    })
    void aServiceStopTheOutageExplainsIsFoldedAndNeverCriticalOnItsLoopAlone(String state, StopCause cause, int inARow, boolean linked,
                                                                           boolean told, String severity, boolean outageKey) {
        Reachability reachability = datacenter(state);
        Diagnosis diagnosis = new Diagnosis(cause, "", "web");
        TaskStopEvent event = SampleEvents.event("ecs-service-task-crashed.json");
        CrashLoop.Count count = inARow == 0 ? CrashLoop.Count.NONE : new CrashLoop.Count(inARow, inARow);
        TaskStopPlan plan = DatacenterOutageRule.apply(TaskStopDecision.forServiceTask(diagnosis, count, LOOP), event, diagnosis,
                reachability, LOOP);
        assertEquals(linked, DatacenterOutageRule.linked(diagnosis, reachability));
        assertEquals(told, plan.tellPeople());
        assertEquals(severity, plan.severity().name());
        String ownKey = TaskStopGroups.key(event, diagnosis, null);
        assertEquals(outageKey ? DatacenterOutageRule.OUTAGE_KEY : ownKey, DatacenterOutageRule.key(ownKey, event, diagnosis, reachability));
    }

    @ParameterizedTest(name = "datacenter {0}, {1} -> Datacenter field {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "down    | CRASH         | none",
            "down    | OUT_OF_MEMORY | unreachable since 09:03 UTC (VPN vpn-0a1b2c3d4e5f67890: both tunnels DOWN); this stop's cause is not one the VPN explains",
            "unknown | CRASH         | state unavailable: DescribeVpnConnections failed: denied",
            "unknown | DEPLOYMENT    | none",
            "up      | CRASH         | none",
            "unwatched | CRASH       | none",
    })
    void aMessageTheOutageDoesNotExplainSaysWhatIsKnownOfTheDatacenter(String state, StopCause cause, String field) {
        assertEquals(field, DatacenterOutageRule.datacenterField(new Diagnosis(cause, "", "web"), datacenter(state)));
    }

    @ParameterizedTest(name = "standalone, datacenter {0}, {1} in a row -> {2}")
    @CsvSource(delimiter = '|', value = {
            "down | 1 | WARNING  | true",
            "down | 3 | WARNING  | true",
            "up   | 3 | CRITICAL | true",
    })
    void aStandaloneStopKeepsItsMessageButNotItsLoopsCriticalSeverity(String state, int inARow, String severity, boolean told) {
        Diagnosis diagnosis = new Diagnosis(StopCause.CRASH, "", "report");
        TaskStopEvent event = SampleEvents.event("ecs-standalone-task-crashed.json");
        CrashLoop.Count count = new CrashLoop.Count(inARow, inARow);
        TaskStopPlan looping = new TaskStopPlan(true, LOOP.isLooping(count) ? tidewatch.notify.Severity.CRITICAL : tidewatch.notify.Severity.WARNING,
                "No restart: the family is crash-looping", null, count);
        TaskStopPlan plan = DatacenterOutageRule.apply(looping, event, diagnosis, datacenter(state), LOOP);
        assertEquals(severity, plan.severity().name());
        assertEquals(told, plan.tellPeople());
        String ownKey = TaskStopGroups.key(event, diagnosis, null);
        assertEquals(ownKey, DatacenterOutageRule.key(ownKey, event, diagnosis, datacenter(state)), "a standalone stop keeps its own message");
    }
}
