package tidewatch.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.template.TemplateFixture.TPL;
import static tidewatch.template.TemplateFixture.at;
import static tidewatch.template.TemplateFixture.clusterArns;
import static tidewatch.template.TemplateFixture.evaluate;
import static tidewatch.template.TemplateFixture.map;
import static tidewatch.template.TemplateFixture.parameterPattern;
import static tidewatch.template.TemplateFixture.properties;
import static tidewatch.template.TemplateFixture.refusedBy;
import static tidewatch.template.TemplateFixture.statement;
import static tidewatch.template.TemplateFixture.statements;
import static tidewatch.template.TemplateFixture.strings;
import static tidewatch.template.TemplateFixture.with;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ECS function's permissions as narrow as its work (issue 20): restarts only of named task definition families in
 * named clusters, refused at deploy time otherwise; reads of tasks in the watched clusters; container logs of the
 * log groups named by a parameter; events of this account only.
 */
class TaskRestartScopeTest {
    private static final String ECS = "EcsTaskStateFunction";
    private static final String TASK_DEFINITION = "arn:aws:ecs:us-east-1:123456789012:task-definition/";
    private static final String FAMILIES_NEEDED =
            "EnableTaskRestarts=true needs RestartableTaskFamilies to name the task definition families";
    private static final String CLUSTERS_NEEDED = "EnableTaskRestarts=true needs WatchedClusters to name the clusters, not \"*\"";

    @Test
    void restartsWithoutNamedClustersOrFamiliesAreRefusedAtDeployTime() {
        assertEquals(List.of(), refusedBy(with()), "restarts off: nothing to refuse");
        assertEquals(List.of(), refusedBy(with("WatchedClusters", "*", "RestartableTaskFamilies", "")));
        assertEquals(List.of(CLUSTERS_NEEDED, FAMILIES_NEEDED), refusedBy(with("EnableTaskRestarts", "true")));
        assertEquals(List.of(FAMILIES_NEEDED), refusedBy(with("EnableTaskRestarts", "true", "WatchedClusters", "prod")));
        assertEquals(List.of(CLUSTERS_NEEDED),
                refusedBy(with("EnableTaskRestarts", "true", "RestartableTaskFamilies", "nightly-report")));
        assertEquals(List.of(), refusedBy(with("EnableTaskRestarts", "true", "WatchedClusters", "prod",
                "RestartableTaskFamilies", "nightly-report")));
    }

    @Test
    void withoutNamedClustersAndFamiliesNothingIsGrantedEvenWhereTheRulesAreNotChecked() {
        // The local runner resolves the template without the Rules: the statements must not open up there either.
        List<Map<String, String>> unnamed = List.of(
                with("EnableTaskRestarts", "true"),
                with("EnableTaskRestarts", "true", "WatchedClusters", "prod"),
                with("EnableTaskRestarts", "true", "RestartableTaskFamilies", "nightly-report"),
                with("EnableTaskRestarts", "true", "RestartablePassRoleArns", "arn:aws:iam::123456789012:role/app-task"));
        for (Map<String, String> parameters : unnamed) {
            for (String action : List.of("ecs:RunTask", "ecs:TagResource", "iam:PassRole")) {
                assertNull(statement(ECS, action, parameters), action + " with " + parameters);
            }
        }
    }

    @Test
    void runTaskCoversEachNamedFamilysRevisionsInTheNamedClustersOnly() {
        Map<String, String> five = with("EnableTaskRestarts", "true", "WatchedClusters", "a,b,c,d,e",
                "RestartableTaskFamilies", "report,backfill,export,cleanup,audit");
        Map<String, Object> runTask = statement(ECS, "ecs:RunTask", five);
        assertEquals(List.of(TASK_DEFINITION + "report:*", TASK_DEFINITION + "backfill:*", TASK_DEFINITION + "export:*",
                TASK_DEFINITION + "cleanup:*", TASK_DEFINITION + "audit:*"),
                List.of(evaluate(runTask.get("Resource"), five).split(",")));
        assertEquals(clusterArns("a", "b", "c", "d", "e"),
                List.of(evaluate(at(runTask, "Condition", "ArnEquals", "ecs:cluster"), five).split(",")));

        Map<String, String> one = with("EnableTaskRestarts", "true", "WatchedClusters", "prod",
                "RestartableTaskFamilies", "nightly-report");
        runTask = statement(ECS, "ecs:RunTask", one);
        assertEquals(TASK_DEFINITION + "nightly-report:*", evaluate(runTask.get("Resource"), one));
        assertEquals(clusterArns("prod").get(0), evaluate(at(runTask, "Condition", "ArnEquals", "ecs:cluster"), one));
        assertEquals(Set.of("ArnEquals"), map(runTask.get("Condition"), "Condition").keySet());
        assertEquals(Set.of("ecs:cluster"), map(at(runTask, "Condition", "ArnEquals"), "ArnEquals").keySet());
    }

    @Test
    void restartableFamiliesAreUpToFiveNamesWithoutWildcards() {
        Pattern families = Pattern.compile(parameterPattern("RestartableTaskFamilies"));
        for (String accepted : List.of("", "nightly-report", "nightly_report,Backfill-2", "a,b,c,d,e")) {
            assertTrue(families.matcher(accepted).matches(), accepted);
        }
        for (String refused : List.of("*", "nightly-*", "a,b,c,d,e,f", "a, b", "a,,b", ",a",
                "arn:aws:ecs:us-east-1:123456789012:task-definition/a", "nightly-report:7", "a".repeat(256))) {
            assertFalse(families.matcher(refused).matches(), refused + " must be refused at deploy time");
        }
        assertEquals("", map(TPL.parameters().get("RestartableTaskFamilies"), "RestartableTaskFamilies").get("Default"));
    }

    @Test
    void theFamiliesReachTheFunction() {
        assertEquals("", TPL.functionEnvironment(ECS, with()).get("RESTARTABLE_TASK_FAMILIES"));
        assertEquals("nightly-report,backfill", TPL.functionEnvironment(ECS,
                with("RestartableTaskFamilies", "nightly-report,backfill")).get("RESTARTABLE_TASK_FAMILIES"));
    }

    @Test
    void passRolesAreRoleArnsOnly() {
        Map<String, Object> parameter = map(TPL.parameters().get("RestartablePassRoleArns"), "RestartablePassRoleArns");
        assertEquals("CommaDelimitedList", parameter.get("Type"), "CloudFormation matches the pattern against each value");
        Pattern role = Pattern.compile(parameterPattern("RestartablePassRoleArns"));
        for (String accepted : List.of("", "arn:aws:iam::123456789012:role/app-task",
                "arn:aws:iam::123456789012:role/service-role/ecs/app-exec", "arn:aws-us-gov:iam::123456789012:role/a+b=c.d@e_f")) {
            assertTrue(role.matcher(accepted).matches(), accepted);
        }
        for (String refused : List.of("*", "arn:aws:iam::123456789012:role/*", "arn:aws:iam::*:role/app-task",
                "arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:policy/admin", "app-task",
                "arn:aws:iam::123456789012:role/", "arn:aws:iam::12345678901:role/app-task")) {
            assertFalse(role.matcher(refused).matches(), refused + " must be refused at deploy time");
        }
    }

    @Test
    void tasksAreReadInTheWatchedClustersWhereTheyAreNamed() {
        Map<String, String> all = with();
        Map<String, Object> describe = statement(ECS, "ecs:DescribeTasks", all);
        Map<String, Object> list = statement(ECS, "ecs:ListTasks", all);
        assertEquals(List.of("ecs:DescribeTasks"), strings(describe.get("Action")));
        assertEquals(List.of("ecs:ListTasks"), strings(list.get("Action")));
        assertEquals("arn:aws:ecs:us-east-1:123456789012:task/*", evaluate(describe.get("Resource"), all));
        assertEquals("*", list.get("Resource"), "a list by cluster names no container instance");
        assertNull(describe.get("Condition"), "\"*\" watches every cluster");
        assertNull(list.get("Condition"), "\"*\" watches every cluster");

        Map<String, String> two = with("WatchedClusters", "prod,staging");
        for (String action : List.of("ecs:DescribeTasks", "ecs:ListTasks")) {
            Map<String, Object> read = statement(ECS, action, two);
            assertEquals(String.join(",", clusterArns("prod", "staging")),
                    evaluate(at(read, "Condition", "ArnEquals", "ecs:cluster"), two), action);
        }
    }

    @Test
    void taskDefinitionsAreReadAloneOnEveryResourceBecauseTheyCannotBeScoped() {
        // No resource type and no condition key exist for DescribeTaskDefinition: nothing else may share its "*".
        Map<String, Object> read = statement(ECS, "ecs:DescribeTaskDefinition", with());
        assertEquals(List.of("ecs:DescribeTaskDefinition"), strings(read.get("Action")));
        assertEquals("*", read.get("Resource"));
        long onAnyResource = statements(ECS, with()).stream().filter(s -> "*".equals(s.get("Resource")))
                .flatMap(s -> strings(s.get("Action")).stream()).filter(action -> action.startsWith("ecs:")).count();
        assertEquals(2, onAnyResource, "only DescribeTaskDefinition and ListTasks (conditioned where clusters are named)");
    }

    @Test
    void containerLogsAreReadOnlyFromTheNamedLogGroups() {
        assertEquals("/ecs/*", map(TPL.parameters().get("ContainerLogGroupPattern"), "ContainerLogGroupPattern").get("Default"));
        Map<String, String> team = with("ContainerLogGroupPattern", "AppsProd/*");
        assertEquals("arn:aws:logs:us-east-1:123456789012:log-group:AppsProd/*:log-stream:*",
                evaluate(statement(ECS, "logs:GetLogEvents", team).get("Resource"), team));
        Map<String, String> one = with("ContainerLogGroupPattern", "AppsProd/registry-certs");
        assertEquals("arn:aws:logs:us-east-1:123456789012:log-group:AppsProd/registry-certs:log-stream:*",
                evaluate(statement(ECS, "logs:GetLogEvents", one).get("Resource"), one));
        Pattern groups = Pattern.compile(parameterPattern("ContainerLogGroupPattern"));
        for (String refused : List.of("", "/ecs/*:log-stream:*", "arn:aws:logs:us-east-1:123456789012:log-group:x", "a b")) {
            assertFalse(groups.matcher(refused).matches(), refused + ": a colon or space would leave the log group part of the ARN");
        }
    }

    @Test
    void theRuleTakesEventsOfThisAccountOnly() {
        Object account = at(properties("EcsTaskStoppedRule"), "EventPattern", "account");
        assertNotNull(account, "the rule's pattern filters on the account");
        assertEquals("123456789012", evaluate(account, with()));
    }
}
