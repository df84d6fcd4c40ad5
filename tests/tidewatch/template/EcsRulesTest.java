package tidewatch.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.template.TemplateFixture.at;
import static tidewatch.template.TemplateFixture.evaluate;
import static tidewatch.template.TemplateFixture.getAtt;
import static tidewatch.template.TemplateFixture.isIntrinsic;
import static tidewatch.template.TemplateFixture.list;
import static tidewatch.template.TemplateFixture.map;
import static tidewatch.template.TemplateFixture.pick;
import static tidewatch.template.TemplateFixture.properties;
import static tidewatch.template.TemplateFixture.statement;
import static tidewatch.template.TemplateFixture.with;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;
import tidewatch.json.Json;

/**
 * The ECS pipeline's EventBridge rules, matched against the sample events by AWS's own pattern engine (Event Ruler,
 * the library EventBridge's pattern language is defined by), and the reads their events need.
 */
class EcsRulesTest {
    private static final String SERVICE_RULE = "EcsServiceEventsRule";
    private static final String STOP_RULE = "EcsTaskStoppedRule";

    /** The rule's pattern as EventBridge gets it: conditions resolved, intrinsics evaluated, as JSON. */
    private static Machine machine(String rule, Map<String, String> overrides) throws Exception {
        Object pattern = resolved(pick(properties(rule).get("EventPattern"), overrides), overrides);
        Machine machine = new Machine();
        machine.addRule(rule, Json.write(pattern));
        return machine;
    }

    private static Object resolved(Object value, Map<String, String> overrides) {
        if (value instanceof Map<?, ?> m && isIntrinsic(m)) {
            return evaluate(m, overrides);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put((String) k, resolved(v, overrides)));
            return copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(resolved(v, overrides)));
            return copy;
        }
        return value;
    }

    private static String sample(String file) throws Exception {
        return Files.readString(Path.of("events", file));
    }

    @SuppressWarnings("unchecked")
    private static String variant(String file, Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> envelope = Json.parseObject(sample(file), file).mutableCopy();
        change.accept(envelope);
        return Json.write(envelope);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> envelope) {
        return (Map<String, Object>) envelope.get("detail");
    }

    private static boolean matches(Machine machine, String event) throws Exception {
        return !machine.rulesForJSONEvent(event).isEmpty();
    }

    @Test
    void theServiceRuleMatchesEcsWarningsAndNothingRoutine() throws Exception {
        for (Map<String, String> overrides : List.of(with(), with("WatchedClusters", "AppsProd,AppsStaging"))) {
            Machine rule = machine(SERVICE_RULE, overrides);
            for (String file : List.of("ecs-service-placement-failure-memory.json", "ecs-service-task-start-impaired.json",
                    "ecs-deployment-failed.json", "ecs-container-instance-disconnected.json")) {
                assertTrue(matches(rule, sample(file)), file + " must reach the queue");
            }
            assertTrue(matches(rule, variant("ecs-container-instance-disconnected.json", e -> {
                detail(e).put("agentConnected", true);
                detail(e).put("status", "DRAINING");
            })), "an instance starting to drain");
            assertFalse(matches(rule, variant("ecs-container-instance-disconnected.json", e -> detail(e).put("agentConnected", true))),
                    "an instance's routine change (a task placed or stopped) stays out");
            assertFalse(matches(rule, variant("ecs-container-instance-disconnected.json", e -> detail(e).put("status", "INACTIVE"))),
                    "a deregistered instance's agent is gone on purpose");
            assertFalse(matches(rule, variant("ecs-service-placement-failure-memory.json", e -> {
                detail(e).put("eventType", "INFO");
                detail(e).put("eventName", "SERVICE_STEADY_STATE");
            })), "steady state stays out");
            for (String info : List.of("SERVICE_DEPLOYMENT_IN_PROGRESS", "SERVICE_DEPLOYMENT_COMPLETED")) {
                assertFalse(matches(rule, variant("ecs-deployment-failed.json", e -> {
                    detail(e).put("eventType", "INFO");
                    detail(e).put("eventName", info);
                })), info + " stays out");
            }
            assertFalse(matches(rule, variant("ecs-service-placement-failure-memory.json", e -> e.put("account", "210987654321"))),
                    "another account's event");
            assertFalse(matches(rule, sample("ecs-service-task-crashed.json")), "task stops are the other rule's");
        }
    }

    @Test
    void theTaskStoppedRuleTakesNoServiceEvent() throws Exception {
        Machine rule = machine(STOP_RULE, with());
        assertTrue(matches(rule, variant("ecs-service-task-crashed.json", e -> e.put("account", "123456789012"))));
        assertFalse(matches(rule, sample("ecs-service-placement-failure-memory.json")));
    }

    @Test
    void theServiceRuleFeedsTheTaskStopsQueueAndItsDeadLetterQueue() {
        // The queues' policies allow both rules: TemplateTest#eventBridgeMaySendToTheQueuesOnlyFromTheEcsRules.
        Map<String, Object> target = map(list(properties(SERVICE_RULE).get("Targets"), "Targets").get(0), "target");
        assertEquals(getAtt("EcsEventsQueue", "Arn"), target.get("Arn"));
        assertEquals(getAtt("EcsEventsDeadLetterQueue", "Arn"), at(target, "DeadLetterConfig", "Arn"));
    }

    @Test
    void theContainerInstanceReadsStayInTheWatchedClusters() {
        Map<String, String> all = with();
        assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/*",
                evaluate(statement("EcsTaskStateFunction", "ecs:ListContainerInstances", all).get("Resource"), all));
        assertEquals("arn:aws:ecs:us-east-1:123456789012:container-instance/*",
                evaluate(statement("EcsTaskStateFunction", "ecs:DescribeContainerInstances", all).get("Resource"), all));
        Map<String, String> named = with("WatchedClusters", "AppsProd,AppsStaging");
        assertEquals("arn:*:ecs:*:*:cluster/AppsProd,arn:*:ecs:*:*:cluster/AppsStaging",
                evaluate(Map.of("Fn::Join", List.of(",", statement("EcsTaskStateFunction", "ecs:ListContainerInstances", named).get("Resource"))), named));
        assertEquals("arn:*:ecs:*:*:container-instance/AppsProd/*,arn:*:ecs:*:*:container-instance/AppsStaging/*",
                evaluate(Map.of("Fn::Join", List.of(",", statement("EcsTaskStateFunction", "ecs:DescribeContainerInstances", named).get("Resource"))), named));
        assertNotNull(statement("EcsTaskStateFunction", "ecs:DescribeServices", named), "a service's events and deployments");
    }
}
