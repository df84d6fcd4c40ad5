package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tidewatch.ecs.TaskStopGroups.Group;
import tidewatch.ecs.TaskStopGroups.Notice;
import tidewatch.datacenter.Reachability;
import tidewatch.notify.Severity;

/** Which stops share a message, and which of them leads it: a table of stops, each "task service cause severity inARow minute [restarted]". */
class TaskStopGroupsTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("one stop is its own group and lead",
                        List.of("t1 web CRASH WARNING 1 0"),
                        List.of("ecs/prod/service:web/crash lead=t1 others=[]")),
                Arguments.of("same service and cause: one group, the most severe leads",
                        List.of("t1 web CRASH WARNING 1 0", "t2 web CRASH CRITICAL 3 1", "t3 web CRASH WARNING 4 2"),
                        List.of("ecs/prod/service:web/crash lead=t2 others=[t1, t3]")),
                Arguments.of("same severity: the longest run of crashes leads, then the latest stop",
                        List.of("t1 web CRASH WARNING 2 5", "t2 web CRASH WARNING 2 9", "t3 web CRASH WARNING 1 20"),
                        List.of("ecs/prod/service:web/crash lead=t2 others=[t1, t3]")),
                Arguments.of("another cause or another service: another group, in order of first appearance",
                        List.of("t1 web CRASH WARNING 1 0", "t2 api CRASH WARNING 1 1", "t3 web OUT_OF_MEMORY WARNING 1 2", "t4 web CRASH WARNING 1 3"),
                        List.of("ecs/prod/service:web/crash lead=t4 others=[t1]", "ecs/prod/service:api/crash lead=t2 others=[]",
                                "ecs/prod/service:web/out_of_memory lead=t3 others=[]")),
                Arguments.of("a failed restart is never hidden behind a successful one",
                        List.of("t1 web CRASH WARNING 1 0 restarted", "t2 web CRASH WARNING 1 1 failed", "t3 web CRASH WARNING 1 2"),
                        List.of("ecs/prod/service:web/crash#restarted lead=t1 others=[]",
                                "ecs/prod/service:web/crash#restart-failed lead=t2 others=[]", "ecs/prod/service:web/crash lead=t3 others=[]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void groupsAndLeads(String name, List<String> stops, List<String> expected) {
        List<Notice> notices = new ArrayList<>();
        for (String stop : stops) {
            notices.add(notice(stop.split(" ")));
        }
        List<String> actual = TaskStopGroups.of(notices).stream()
                .map(g -> g.key() + " lead=" + g.lead().event().taskId() + " others=" + g.otherTaskIds()).toList();
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "tells people: {0} -> {1}")
    @MethodSource("tellTable")
    void aGroupTellsPeopleWhenAnyOfItsStopsDoes(List<Boolean> tellPeople, boolean expected) {
        List<Notice> notices = new ArrayList<>();
        for (int i = 0; i < tellPeople.size(); i++) {
            Notice n = notice(("t" + i + " web CRASH WARNING 1 " + i).split(" "));
            notices.add(new Notice(n.messageId(), n.event(), n.diagnosis(), n.facts(),
                    new TaskStopPlan(tellPeople.get(i), Severity.WARNING, "", null, n.plan().crashCount()), n.action(), n.key(), n.reachability()));
        }
        List<Group> groups = TaskStopGroups.of(notices);
        assertEquals(1, groups.size());
        assertEquals(expected, groups.get(0).tellsPeople());
    }

    static Stream<Arguments> tellTable() {
        return Stream.of(Arguments.of(List.of(false), false), Arguments.of(List.of(false, false, false), false),
                Arguments.of(List.of(false, true, false), true), Arguments.of(List.of(true), true));
    }

    private static Notice notice(String[] f) {
        String taskId = f[0];
        Instant stoppedAt = Instant.parse("2026-11-24T09:00:00Z").plusSeconds(60L * Integer.parseInt(f[5]));
        TaskStopEvent event = SampleEvents.event(SampleEvents.variant("ecs-service-task-crashed.json", detail -> {
            detail.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/" + taskId);
            detail.put("group", "service:" + f[1]);
            detail.put("stoppedAt", stoppedAt.toString());
        }));
        Diagnosis diagnosis = new Diagnosis(StopCause.valueOf(f[2]), "", "web");
        int inARow = Integer.parseInt(f[4]);
        TaskStopPlan plan = new TaskStopPlan(true, Severity.valueOf(f[3]), "", null, new CrashLoop.Count(inARow, inARow));
        Boolean restarted = f.length < 7 ? null : "restarted".equals(f[6]);
        return new Notice("m-" + taskId, event, diagnosis, SampleEvents.webFacts(), plan, "", TaskStopGroups.key(event, diagnosis, restarted),
                Reachability.NOT_WATCHED);
    }
}
