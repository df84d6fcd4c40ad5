package tidewatch.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static tidewatch.template.TemplateFixture.REQUIRED;
import static tidewatch.template.TemplateFixture.TPL;
import static tidewatch.template.TemplateFixture.at;
import static tidewatch.template.TemplateFixture.branches;
import static tidewatch.template.TemplateFixture.clusterArns;
import static tidewatch.template.TemplateFixture.evaluate;
import static tidewatch.template.TemplateFixture.getAtt;
import static tidewatch.template.TemplateFixture.getAttTarget;
import static tidewatch.template.TemplateFixture.globalFunction;
import static tidewatch.template.TemplateFixture.list;
import static tidewatch.template.TemplateFixture.map;
import static tidewatch.template.TemplateFixture.merged;
import static tidewatch.template.TemplateFixture.parameterPattern;
import static tidewatch.template.TemplateFixture.pick;
import static tidewatch.template.TemplateFixture.properties;
import static tidewatch.template.TemplateFixture.ref;
import static tidewatch.template.TemplateFixture.refusedBy;
import static tidewatch.template.TemplateFixture.resourcesOfType;
import static tidewatch.template.TemplateFixture.roleOf;
import static tidewatch.template.TemplateFixture.statement;
import static tidewatch.template.TemplateFixture.statements;
import static tidewatch.template.TemplateFixture.strings;
import static tidewatch.template.TemplateFixture.with;

import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tidewatch.config.Settings;
import tidewatch.notify.Severity;

/**
 * Guards the properties of template.yaml that the design depends on, so a later edit cannot quietly drop one.
 * The template is read with {@link tidewatch.local.CloudFormationTemplate}, the same reader the local runner uses.
 */
class TemplateTest {
    private static final String ECS = "EcsTaskStateFunction";
    private static final String VPN = "VpnAlarmFunction";
    private static final String KEEPALIVE = "VpnKeepaliveFunction";
    private static final Map<String, String> HANDLERS = Map.of(
            ECS, "tidewatch.ecs.EcsTaskStateFunction::handleRequest",
            VPN, "tidewatch.vpn.VpnAlarmFunction::handleRequest",
            KEEPALIVE, "tidewatch.keepalive.VpnKeepaliveFunction::handleRequest");
    private static final Map<String, Integer> TIMEOUTS = Map.of(ECS, 120, VPN, 30, KEEPALIVE, 30);
    private static final String ALIAS = "live";

    /**
     * Actions that may name Resource "*". Read-only actions without (usable) resource-level permissions, and the
     * network-interface actions Lambda performs with the execution role of a VPC function, which AWS requires on "*"
     * (they are what the AWSLambdaVPCAccessExecutionRole managed policy grants). Nothing else: no write action on "*".
     */
    private static final Set<String> ALLOWED_ON_ANY_RESOURCE = Set.of(
            "ecs:DescribeTaskDefinition",
            "ecs:ListTasks",
            "ecs:DescribeTasks", // the VPN function's, limited to the watched clusters by ecs:cluster
            "ecs:DescribeServices", // likewise
            "ec2:DescribeVpnConnections",
            "ec2:DescribeCustomerGateways",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets",
            "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses");
    private static final List<String> VPC_ENI_ACTIONS = List.of(
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");

    // ----------------------------------------------------------------------------------------------------- globals

    @Test
    void globalsDescribeOneJavaArtifactWithSnapStartBehindAnAlias() {
        Map<String, Object> globals = globalFunction();
        assertEquals("java21", globals.get("Runtime"));
        assertEquals(List.of("arm64"), globals.get("Architectures"));
        assertEquals(".", globals.get("CodeUri"), "sam build runs Maven on the project at the root");
        assertEquals(512, globals.get("MemorySize"));
        assertEquals("PublishedVersions", at(globals, "SnapStart", "ApplyOn"));
        assertEquals(ALIAS, globals.get("AutoPublishAlias"));
        assertEquals("JSON", at(globals, "LoggingConfig", "LogFormat"));
        assertEquals(ref("PrivateSubnetIds"), at(globals, "VpcConfig", "SubnetIds"));
        String javaOptions = (String) at(globals, "Environment", "Variables", "JAVA_TOOL_OPTIONS");
        assertTrue(javaOptions.contains("-XX:+TieredCompilation") && javaOptions.contains("-XX:TieredStopAtLevel=1"), javaOptions);
    }

    @Test
    void theFunctionsShareTheArtifactAndTheGlobalsTheyDependOn() {
        assertEquals(new TreeSet<>(HANDLERS.keySet()), new TreeSet<>(TPL.functionIds()));
        for (String function : TPL.functionIds()) {
            for (String property : List.of("CodeUri", "Runtime", "Architectures", "SnapStart", "AutoPublishAlias", "MemorySize")) {
                assertNull(properties(function).get(property), function + " must not override Globals." + property);
            }
            assertEquals(TIMEOUTS.get(function), properties(function).get("Timeout"), function + " Timeout");
        }
    }

    @Test
    void applicationLogLevelNeverFiltersOutMetricLines() {
        // EMF lines carry no "level", so Lambda files them as INFO: a level above INFO would drop the keepalive metric.
        Object level = at(globalFunction(), "LoggingConfig", "ApplicationLogLevel");
        for (String logLevel : List.of("DEBUG", "INFO", "WARN", "ERROR")) {
            Object picked = pick(level, with("LogLevel", logLevel));
            assertTrue(Set.of("DEBUG", "INFO").contains(picked), "LogLevel " + logLevel + " gives ApplicationLogLevel " + picked);
        }
        assertEquals("DEBUG", pick(level, with("LogLevel", "DEBUG")));
    }

    // ---------------------------------------------------------------------------------------------------- handlers

    @Test
    void handlersAreExactlyTheHandlerClasses() {
        for (Map.Entry<String, String> handler : HANDLERS.entrySet()) {
            assertEquals(handler.getValue(), TPL.functionHandler(handler.getKey()));
        }
    }

    /** Fails until the handler classes exist on the classpath (they are written separately). */
    @Test
    void handlerClassesExistOnTheClasspath() throws ClassNotFoundException {
        List<String> missing = new ArrayList<>();
        for (String function : TPL.functionIds()) {
            String handler = TPL.functionHandler(function);
            String className = handler.substring(0, handler.indexOf("::"));
            String methodName = handler.substring(handler.indexOf("::") + 2);
            try {
                Class<?> type = Class.forName(className);
                boolean hasMethod = Arrays.stream(type.getMethods()).map(Method::getName).anyMatch(methodName::equals);
                if (!hasMethod) {
                    missing.add(handler + " (no public method " + methodName + ")");
                }
            } catch (ClassNotFoundException e) {
                missing.add(handler + " (no class " + className + ")");
            }
        }
        assertEquals(List.of(), missing, "handlers that do not exist");
    }

    // ------------------------------------------------------------------------------------------------ logs, network

    @Test
    void everyFunctionLogsJsonToItsOwnLogGroupWithRetention() {
        Set<String> groups = new HashSet<>();
        for (String function : TPL.functionIds()) {
            Map<String, Object> logging = map(merged(function, "LoggingConfig"), function + " LoggingConfig");
            assertEquals("JSON", logging.get("LogFormat"));
            String group = (String) map(logging.get("LogGroup"), function + " LogGroup").get("Ref");
            assertEquals("AWS::Logs::LogGroup", TPL.resource(group).get("Type"), function + " LogGroup");
            assertEquals(ref("LogRetentionDays"), properties(group).get("RetentionInDays"));
            assertTrue(groups.add(group), group + " is shared");
        }
        assertEquals("30", String.valueOf(map(TPL.parameters().get("LogRetentionDays"), "LogRetentionDays").get("Default")));
    }

    @Test
    void everyFunctionRunsInThePrivateSubnetsWithASecurityGroupOfItsOwnWithoutIngress() {
        Set<String> groups = new HashSet<>();
        for (String function : TPL.functionIds()) {
            Map<String, Object> vpc = map(merged(function, "VpcConfig"), function + " VpcConfig");
            assertEquals(ref("PrivateSubnetIds"), vpc.get("SubnetIds"), function);
            List<Object> securityGroups = list(vpc.get("SecurityGroupIds"), function + " SecurityGroupIds");
            assertEquals(1, securityGroups.size(), function + " has one security group");
            String group = (String) map(securityGroups.get(0), function + " security group").get("Ref");
            assertEquals("AWS::EC2::SecurityGroup", TPL.resource(group).get("Type"));
            assertEquals(ref("VpcId"), properties(group).get("VpcId"));
            assertNull(properties(group).get("SecurityGroupIngress"), group + " must have no inbound rule");
            assertTrue(groups.add(group), group + " is shared between functions");
        }
        assertEquals(List.of(), resourcesOfType("AWS::EC2::SecurityGroupIngress"), "no inbound rules anywhere");
    }

    @Test
    void securityGroupEgressIsHttpsOnlyExceptTheKeepaliveWhichReachesOnlyTheDatacenter() {
        for (String function : List.of(ECS, VPN)) {
            List<Object> egress = list(properties(securityGroupOf(function)).get("SecurityGroupEgress"), function + " egress");
            assertEquals(1, egress.size(), function + " egress rules");
            Map<String, Object> rule = map(egress.get(0), "egress rule");
            assertEquals("tcp", rule.get("IpProtocol"));
            assertEquals(443, rule.get("FromPort"));
            assertEquals(443, rule.get("ToPort"));
            assertEquals("0.0.0.0/0", rule.get("CidrIp"));
        }
        List<Object> egress = list(properties(securityGroupOf(KEEPALIVE)).get("SecurityGroupEgress"), "keepalive egress");
        assertEquals(1, egress.size(), "keepalive egress rules");
        Map<String, Object> rule = map(egress.get(0), "keepalive egress rule");
        assertEquals("tcp", rule.get("IpProtocol"));
        assertEquals(ref("DatacenterCidr"), rule.get("CidrIp"));
    }

    // ------------------------------------------------------------------------------------------------- ECS pipeline

    @Test
    void theTaskStoppedRuleMatchesStoppedTasksAndTargetsTheQueue() {
        Map<String, Object> rule = properties("EcsTaskStoppedRule");
        Map<String, Object> pattern = map(rule.get("EventPattern"), "EventPattern");
        assertEquals(List.of("aws.ecs"), pattern.get("source"));
        assertEquals(List.of("ECS Task State Change"), pattern.get("detail-type"));
        for (String clusters : List.of("*", "prod", "prod,staging")) {
            Map<String, Object> detail = map(pick(pattern.get("detail"), with("WatchedClusters", clusters)), "detail");
            assertEquals(List.of("STOPPED"), detail.get("lastStatus"), "clusters " + clusters);
        }
        List<Object> targets = list(rule.get("Targets"), "Targets");
        assertEquals(1, targets.size());
        Map<String, Object> target = map(targets.get(0), "target");
        assertEquals(getAtt("EcsEventsQueue", "Arn"), target.get("Arn"));
        assertEquals("AWS::SQS::Queue", TPL.resource("EcsEventsQueue").get("Type"));
        assertEquals(getAtt("EcsEventsDeadLetterQueue", "Arn"), at(target, "DeadLetterConfig", "Arn"));
    }

    @Test
    void theRuleFiltersOnTheWatchedClustersOnlyWhenSomeAreNamed() {
        Object detail = at(properties("EcsTaskStoppedRule"), "EventPattern", "detail");
        assertFalse(map(pick(detail, with()), "detail").containsKey("clusterArn"), "the default \"*\" watches every cluster");
        assertEquals(clusterArns("prod"), clusterFilter(with("WatchedClusters", "prod")));
        assertEquals(clusterArns("prod", "staging"), clusterFilter(with("WatchedClusters", "prod,staging")));
        assertEquals(clusterArns("a", "b", "c", "d", "e"), clusterFilter(with("WatchedClusters", "a,b,c,d,e")));
        assertFalse(Pattern.compile(parameterPattern("WatchedClusters")).matcher("a,b,c,d,e,f").matches(),
                "more clusters than the template has slots for must be rejected at deploy time");
        assertFalse(Pattern.compile(parameterPattern("WatchedClusters")).matcher("arn:aws:ecs:us-east-1:1:cluster/a").matches(),
                "ARNs would be turned into wrong ARNs: names only");
    }

    @Test
    void eventBridgeMaySendToTheQueuesOnlyFromTheEcsRules() {
        for (String queue : List.of("EcsEventsQueue", "EcsEventsDeadLetterQueue")) {
            Map<String, Object> statement = onlyStatementOfQueuePolicy(queue);
            assertEquals("Allow", statement.get("Effect"));
            assertEquals("events.amazonaws.com", at(statement, "Principal", "Service"));
            assertEquals(List.of("sqs:SendMessage"), strings(statement.get("Action")));
            assertEquals(getAtt(queue, "Arn"), statement.get("Resource"));
            assertEquals(List.of(getAtt("EcsTaskStoppedRule", "Arn"), getAtt("EcsServiceEventsRule", "Arn")),
                    at(statement, "Condition", "ArnEquals", "aws:SourceArn"));
        }
    }

    @Test
    void theQueueHasADeadLetterQueueAndOutlastsTheFunction() {
        Map<String, Object> queue = properties("EcsEventsQueue");
        Map<String, Object> redrive = map(queue.get("RedrivePolicy"), "RedrivePolicy");
        assertEquals(getAtt("EcsEventsDeadLetterQueue", "Arn"), redrive.get("deadLetterTargetArn"));
        assertEquals(5, redrive.get("maxReceiveCount"));
        Map<String, Object> source = sqsEvent(ECS);
        int minimum = 6 * TIMEOUTS.get(ECS) + (Integer) source.get("MaximumBatchingWindowInSeconds");
        assertTrue((Integer) queue.get("VisibilityTimeout") >= minimum,
                "VisibilityTimeout " + queue.get("VisibilityTimeout") + " < 6 x timeout + batching window = " + minimum);
        int dlqRetention = (Integer) properties("EcsEventsDeadLetterQueue").get("MessageRetentionPeriod");
        assertEquals(14 * 24 * 3600, dlqRetention);
        assertTrue((Integer) queue.get("MessageRetentionPeriod") < dlqRetention,
                "a message keeps its enqueue time in the dead-letter queue, so the DLQ must keep messages longer");
    }

    @Test
    void theDeadLetterQueuesOutliveTheStackAndEveryOtherStatefulResourceSaysWhy() {
        Set<String> deadLetterQueues = new TreeSet<>();
        walk(TPL.resources(), "", (path, node) -> {
            for (String key : List.of("deadLetterTargetArn", "Arn", "Destination")) {
                String queue = getAttTarget(node.get(key), "Arn");
                if (queue != null && (key.equals("deadLetterTargetArn") || path.endsWith("DeadLetterConfig") || path.endsWith("OnFailure"))) {
                    deadLetterQueues.add(queue);
                }
            }
        });
        assertEquals(Set.of("EcsEventsDeadLetterQueue", "FailedInvocationsQueue"), deadLetterQueues);
        for (String queue : deadLetterQueues) {
            assertEquals("Retain", TPL.resource(queue).get("DeletionPolicy"), queue + ": its failed events must survive a stack deletion");
            assertEquals("Retain", TPL.resource(queue).get("UpdateReplacePolicy"), queue + ": and a replacement");
        }
        for (String stateful : List.of("EcsEventsQueue", "NotificationKey", "EcsTaskStateLogGroup", "VpnAlarmLogGroup", "VpnKeepaliveLogGroup")) {
            assertEquals("Delete", TPL.resource(stateful).get("DeletionPolicy"), stateful + " (chosen in template.yaml, see its comment)");
        }
    }

    @Test
    void theEcsFunctionReadsTheQueueInBatchesWithPartialFailures() {
        Map<String, Object> source = sqsEvent(ECS);
        assertEquals(getAtt("EcsEventsQueue", "Arn"), source.get("Queue"));
        assertEquals(500, source.get("BatchSize"), "a storm of 500 stops arrives as one batch, so it becomes one message per service and cause");
        assertEquals(20, source.get("MaximumBatchingWindowInSeconds"));
        assertTrue(strings(source.get("FunctionResponseTypes")).contains("ReportBatchItemFailures"));
        assertTrue((Integer) at(source, "ScalingConfig", "MaximumConcurrency") >= 2, "SQS MaximumConcurrency is at least 2");
    }

    @Test
    void everyQueueIsEncrypted() {
        List<String> queues = resourcesOfType("AWS::SQS::Queue");
        assertEquals(3, queues.size(), queues.toString());
        for (String queue : queues) {
            assertEquals(Boolean.TRUE, properties(queue).get("SqsManagedSseEnabled"), queue);
        }
    }

    // ------------------------------------------------------------------------------------------- failure handling

    @Test
    void everyFunctionKeepsItsFailures() {
        for (String function : TPL.functionIds()) {
            if (events(function).values().stream().anyMatch(event -> "SQS".equals(map(event, "event").get("Type")))) {
                // Failures stay in the source queue and move to its dead-letter queue (tested above).
                assertNull(properties(function).get("EventInvokeConfig"), function + " is not invoked asynchronously");
                assertFalse(alarmActionTargets().contains(function), function);
                continue;
            }
            Map<String, Object> config = map(properties(function).get("EventInvokeConfig"), function + " EventInvokeConfig");
            assertEquals(2, config.get("MaximumRetryAttempts"), function);
            Map<String, Object> onFailure = map(at(config, "DestinationConfig", "OnFailure"), function + " OnFailure");
            assertEquals("SQS", onFailure.get("Type"), function);
            String queue = getAttTarget(onFailure.get("Destination"), "Arn");
            assertNotNull(queue, function + " OnFailure destination is a queue of this stack");
            assertEquals("AWS::SQS::Queue", TPL.resource(queue).get("Type"));
            assertTrue(allows(function, "sqs:SendMessage", getAtt(queue, "Arn")),
                    function + "'s role must allow sending to its failure destination (Lambda uses the execution role)");
        }
    }

    @Test
    void theAsynchronouslyInvokedFunctionsAreTheAlarmAndKeepaliveFunctions() {
        assertEquals(Set.of(VPN), alarmActionTargets());
        assertEquals("Schedule", map(events(KEEPALIVE).get("Keepalive"), "keepalive event").get("Type"));
        assertEquals(ref("KeepaliveSchedule"), at(events(KEEPALIVE).get("Keepalive"), "Properties", "Schedule"));
        assertNotNull(properties(VPN).get("EventInvokeConfig"));
        assertNotNull(properties(KEEPALIVE).get("EventInvokeConfig"));
    }

    @Test
    void theAlarmFunctionRunsOneInvocationAtATimeSoItsCooldownHolds() {
        // The replacement cooldown is read, then written, then acted on: two invocations at once (the tunnel
        // re-check and an alarm, or a duplicate delivery) could both pass the check and both replace.
        assertEquals(1, properties(VPN).get("ReservedConcurrentExecutions"));
        assertNotNull(properties(VPN).get("EventInvokeConfig"), "throttled asynchronous invocations wait in Lambda's queue");
    }

    @Test
    void theReplacementCooldownIsDescribedPerTunnelAsItIsKept() {
        // The cooldown tag is tidewatch:replaced:<tunnel outside IP>: each tunnel has a cooldown of its own.
        String description = (String) map(TPL.parameters().get("TunnelReplacementCooldown"), "TunnelReplacementCooldown")
                .get("Description");
        assertTrue(description.contains("same tunnel"), description);
        assertFalse(description.contains("connection's tunnels"), description);
    }

    @Test
    void theTunnelReCheckRunsOnlyWhileTunnelReplacementOrOptionsRepairIsOn() {
        Map<String, Object> check = map(events(VPN).get("TunnelCheck"), "tunnel check event");
        assertEquals("Schedule", check.get("Type"));
        Object state = at(check, "Properties", "State");
        assertEquals("DISABLED", pick(state, with()), "both are off by default");
        assertEquals("ENABLED", pick(state, with("EnableTunnelReplacement", "true")));
        assertEquals("ENABLED", pick(state, with("EnableTunnelOptionsRepair", "true")));
        assertEquals("ENABLED", pick(state, with("EnableTunnelReplacement", "true", "EnableTunnelOptionsRepair", "true")));
        assertEquals("DISABLED", pick(state, with("EnableTunnelReplacement", "false", "EnableTunnelOptionsRepair", "false")));
    }

    @Test
    void everyDeadLetterQueueHasADepthAlarmThatTellsTheTopic() {
        Set<String> deadLetterQueues = new HashSet<>();
        for (String queue : resourcesOfType("AWS::SQS::Queue")) {
            Object redrive = properties(queue).get("RedrivePolicy");
            if (redrive != null) {
                deadLetterQueues.add(getAttTarget(map(redrive, "RedrivePolicy").get("deadLetterTargetArn"), "Arn"));
            }
        }
        for (String function : TPL.functionIds()) {
            Object destination = properties(function).get("EventInvokeConfig") == null ? null
                    : at(properties(function), "EventInvokeConfig", "DestinationConfig", "OnFailure", "Destination");
            if (destination != null) {
                deadLetterQueues.add(getAttTarget(destination, "Arn"));
            }
        }
        assertEquals(Set.of("EcsEventsDeadLetterQueue", "FailedInvocationsQueue"), deadLetterQueues);
        for (String queue : deadLetterQueues) {
            assertEquals(14 * 24 * 3600, properties(queue).get("MessageRetentionPeriod"), queue);
            String alarm = resourcesOfType("AWS::CloudWatch::Alarm").stream()
                    .filter(id -> "AWS/SQS".equals(properties(id).get("Namespace")))
                    .filter(id -> list(properties(id).get("Dimensions"), "Dimensions").contains(
                            Map.of("Name", "QueueName", "Value", getAtt(queue, "QueueName"))))
                    .findFirst().orElseThrow(() -> new AssertionError("no depth alarm on " + queue));
            Map<String, Object> properties = properties(alarm);
            assertEquals("ApproximateNumberOfMessagesVisible", properties.get("MetricName"), alarm);
            assertEquals("GreaterThanThreshold", properties.get("ComparisonOperator"), alarm);
            assertEquals(0.0, ((Number) properties.get("Threshold")).doubleValue(), alarm);
            List<Object> actions = list(properties.get("AlarmActions"), alarm + " AlarmActions");
            assertFalse(actions.isEmpty(), alarm + " must tell someone");
            for (Object action : actions) {
                String topic = (String) map(action, "action").get("Ref");
                assertEquals("AWS::SNS::Topic", TPL.resource(topic).get("Type"), alarm + " action");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------ alarms

    @Test
    void vpnAndKeepaliveAlarmsInvokeTheAlarmFunctionAliasOnEveryStateChange() {
        List<String> alarms = alarmsInvoking(VPN);
        assertEquals(5, alarms.size(), alarms.toString());
        for (String alarm : alarms) {
            Map<String, Object> properties = properties(alarm);
            for (String actions : List.of("AlarmActions", "OKActions", "InsufficientDataActions")) {
                assertEquals(List.of(ref(VPN + "Alias" + ALIAS)), properties.get(actions), alarm + " " + actions);
            }
        }
        for (String alarm : resourcesOfType("AWS::CloudWatch::Alarm")) {
            if (Set.of("AWS/VPN", "Tidewatch").contains(properties(alarm).get("Namespace"))) {
                assertTrue(alarms.contains(alarm), alarm + " must invoke the VPN alarm function");
            }
        }
    }

    @Test
    void everyAlarmThatInvokesTheFunctionHasAPermissionForCloudWatchAlarms() {
        Map<String, String> overrides = with("VpnConnectionId2", "vpn-0fedcba9876543210");
        for (String alarm : alarmsInvoking(VPN)) {
            Map<String, Object> resource = TPL.resource(alarm);
            String permission = String.valueOf(resource.get("DependsOn"));
            assertEquals("AWS::Lambda::Permission", TPL.resource(permission).get("Type"),
                    alarm + " depends on its invoke permission, so its first state change is not refused");
            Map<String, Object> granted = properties(permission);
            assertEquals("lambda.alarms.cloudwatch.amazonaws.com", granted.get("Principal"));
            assertEquals("lambda:InvokeFunction", granted.get("Action"));
            assertEquals(ref(VPN + "Alias" + ALIAS), granted.get("FunctionName"));
            assertEquals(ref("AWS::AccountId"), granted.get("SourceAccount"));
            String alarmName = evaluate(properties(alarm).get("AlarmName"), overrides);
            assertEquals("arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + alarmName,
                    evaluate(granted.get("SourceArn"), overrides), permission + " SourceArn");
            // The same as written, too: the placeholder stack name would hide a hard-coded "tidewatch-" prefix.
            assertEquals("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:"
                    + at(properties(alarm), "AlarmName", "Fn::Sub"), at(granted, "SourceArn", "Fn::Sub"), permission);
            assertEquals(resource.get("Condition"), TPL.resource(permission).get("Condition"), permission + " Condition");
        }
    }

    @Test
    void tunnelAlarmsUseTheRightStatisticForEachMeaning() {
        Map<String, Set<String>> kindsPerVpn = new LinkedHashMap<>();
        for (String alarm : resourcesOfType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = properties(alarm);
            if (!"AWS/VPN".equals(p.get("Namespace"))) {
                continue;
            }
            assertEquals("TunnelState", p.get("MetricName"));
            List<Object> dimensions = list(p.get("Dimensions"), alarm + " Dimensions");
            assertEquals(1, dimensions.size(), alarm + ": the VpnId dimension alone describes the whole connection");
            assertEquals("VpnId", map(dimensions.get(0), "dimension").get("Name"));
            String vpn = (String) map(map(dimensions.get(0), "dimension").get("Value"), "VpnId").get("Ref");
            String name = evaluate(p.get("AlarmName"), with("VpnConnectionId2", "vpn-0fedcba9876543210"));
            double threshold = ((Number) p.get("Threshold")).doubleValue();
            assertEquals("LessThanThreshold", p.get("ComparisonOperator"), alarm);
            if (name.endsWith("-tunnels-down")) {
                // Both down: no data point of the period had a tunnel up (0.5 would be one tunnel up of two).
                assertEquals("Maximum", p.get("Statistic"), alarm);
                assertTrue(threshold > 0 && threshold <= 0.5, alarm + " threshold " + threshold);
                assertEquals("breaching", p.get("TreatMissingData"), alarm);
                kindsPerVpn.computeIfAbsent(vpn, k -> new TreeSet<>()).add("down");
            } else if (name.endsWith("-tunnel-degraded")) {
                assertEquals("Minimum", p.get("Statistic"), alarm);
                assertEquals(1.0, threshold, alarm);
                kindsPerVpn.computeIfAbsent(vpn, k -> new TreeSet<>()).add("degraded");
            } else {
                fail("unexpected VPN alarm " + alarm + " named " + name);
            }
            String condition = (String) TPL.resource(alarm).get("Condition");
            assertEquals(vpn.equals("VpnConnectionId2") ? "HasVpn2" : null, condition, alarm + " Condition");
        }
        assertEquals(Map.of("VpnConnectionId1", Set.of("down", "degraded"), "VpnConnectionId2", Set.of("down", "degraded")),
                kindsPerVpn);
        assertFalse(TPL.condition("HasVpn2", with()));
        assertTrue(TPL.condition("HasVpn2", with("VpnConnectionId2", "vpn-0fedcba9876543210")));
    }

    @Test
    void theKeepaliveAlarmWatchesTheMetricTheKeepaliveWrites() {
        Map<String, Object> p = properties("KeepaliveUnreachableAlarm");
        assertEquals(TPL.functionEnvironment(KEEPALIVE, REQUIRED).get("METRICS_NAMESPACE"), p.get("Namespace"));
        assertEquals("ReachableTargets", p.get("MetricName"));
        assertNull(p.get("Dimensions"), "the keepalive writes ReachableTargets without dimensions");
        assertEquals("Maximum", p.get("Statistic"));
        assertEquals("LessThanThreshold", p.get("ComparisonOperator"));
        assertEquals(1.0, ((Number) p.get("Threshold")).doubleValue());
        assertEquals(300, p.get("Period"));
        assertEquals(3, p.get("EvaluationPeriods"));
        assertEquals(3, p.get("DatapointsToAlarm"));
        assertEquals("breaching", p.get("TreatMissingData"), "a keepalive that does not run is also a failure");
        Duration schedule = rate((String) map(TPL.parameters().get("KeepaliveSchedule"), "KeepaliveSchedule").get("Default"));
        assertTrue(schedule.compareTo(Duration.ofSeconds((Integer) p.get("Period"))) <= 0,
                "the default schedule must write a data point every alarm period");
    }

    // ------------------------------------------------------------------------------------------------ notifications

    @Test
    void theTopicIsEncryptedWithAKeyCloudWatchMayUse() {
        Object key = properties("NotificationTopic").get("KmsMasterKeyId");
        String keyId = getAttTarget(key, "Arn");
        assertNotNull(keyId, "the topic is encrypted with a key of this stack: " + key);
        assertEquals("AWS::KMS::Key", TPL.resource(keyId).get("Type"));
        assertEquals(Boolean.TRUE, properties(keyId).get("EnableKeyRotation"));
        boolean cloudWatch = false;
        for (Object item : list(at(properties(keyId), "KeyPolicy", "Statement"), "KeyPolicy")) {
            Map<String, Object> statement = map(item, "key policy statement");
            if (statement.get("Principal") instanceof Map<?, ?> principal
                    && "cloudwatch.amazonaws.com".equals(principal.get("Service"))) {
                cloudWatch = strings(statement.get("Action")).containsAll(List.of("kms:Decrypt", "kms:GenerateDataKey*"));
            }
        }
        assertTrue(cloudWatch, "CloudWatch alarms publish to the topic, so the key policy must let CloudWatch use the key");
        for (String function : List.of(ECS, VPN)) {
            assertTrue(allows(function, "sns:Publish", ref("NotificationTopic")), function + " publishes");
            assertTrue(allows(function, "kms:GenerateDataKey*", key), function + " publishes to the encrypted topic");
        }
    }

    @Test
    void criticalOnlySubscribersFilterOnTheSeverityAttribute() {
        Map<String, Object> subscription = properties("CriticalAlertEmailSubscription");
        assertEquals(ref("NotificationTopic"), subscription.get("TopicArn"));
        assertEquals("email", subscription.get("Protocol"));
        assertEquals(ref("CriticalAlertEmail"), subscription.get("Endpoint"));
        assertEquals(Map.of("severity", List.of(Severity.CRITICAL.wireName())), subscription.get("FilterPolicy"));
        assertEquals("HasCriticalAlertEmail", TPL.resource("CriticalAlertEmailSubscription").get("Condition"));
        assertFalse(TPL.condition("HasCriticalAlertEmail", with()));
        assertTrue(TPL.condition("HasCriticalAlertEmail", with("CriticalAlertEmail", "oncall@example.com")));
        assertNull(properties("AlertEmailSubscription").get("FilterPolicy"), "the other subscription receives everything");
        assertEquals("HasAlertEmail", TPL.resource("AlertEmailSubscription").get("Condition"));
    }

    // ---------------------------------------------------------------------------------------------------------- IAM

    @Test
    void everyFunctionHasARoleOfItsOwnWithoutManagedPolicies() {
        Set<String> roles = new HashSet<>();
        for (String function : TPL.functionIds()) {
            assertNull(properties(function).get("Policies"), function + ": explicit role only, so SAM adds nothing");
            String role = roleOf(function);
            assertTrue(roles.add(role), role + " is shared");
            Map<String, Object> p = properties(role);
            assertNull(p.get("ManagedPolicyArns"), role + ": managed policies would grant logs and ENI writes on *");
            assertEquals("lambda.amazonaws.com", at(list(at(p, "AssumeRolePolicyDocument", "Statement"), "trust").get(0),
                    "Principal", "Service"));
            String logGroup = (String) map(at(merged(function, "LoggingConfig"), "LogGroup"), "LogGroup").get("Ref");
            assertTrue(allows(function, "logs:PutLogEvents", getAtt(logGroup, "Arn")), function + " writes its own log group");
            for (String action : VPC_ENI_ACTIONS) {
                assertTrue(allows(function, action, "*"), function + " is a VPC function and needs " + action);
            }
        }
    }

    @Test
    void noStatementAllowsAWriteActionOnEveryResource() {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> statement : allPolicyStatements().entrySet()) {
            Map<String, Object> s = statement.getValue();
            String where = statement.getKey();
            assertNull(s.get("NotAction"), where + " uses NotAction");
            assertNull(s.get("NotResource"), where + " uses NotResource");
            if (!"Allow".equals(s.get("Effect"))) {
                continue;
            }
            List<String> actions = strings(s.get("Action"));
            for (String action : actions) {
                if (action.equals("*") || action.endsWith(":*")) {
                    violations.add(where + " allows every action of " + action);
                }
            }
            boolean anyResource = branches(s.get("Resource")).stream()
                    .flatMap(resource -> resource instanceof List<?> items
                            ? items.stream().flatMap(item -> branches(item).stream()) : java.util.stream.Stream.of(resource))
                    .anyMatch("*"::equals);
            if (anyResource) {
                for (String action : actions) {
                    if (!ALLOWED_ON_ANY_RESOURCE.contains(action)) {
                        violations.add(where + " allows " + action + " on Resource \"*\"");
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void taskRestartPermissionsExistOnlyWhenRestartsAreOnAndStayOnTheNamedFamiliesAndClusters() {
        assertNull(statement(ECS, "ecs:RunTask", with()), "restarts are off by default: no RunTask");
        assertNull(statement(ECS, "ecs:TagResource", with()));

        Map<String, String> named = with("EnableTaskRestarts", "true", "WatchedClusters", "prod,staging",
                "RestartableTaskFamilies", "nightly-report,backfill");
        assertNull(statement(ECS, "iam:PassRole", named), "no pass roles given: no PassRole");
        Map<String, Object> runTask = statement(ECS, "ecs:RunTask", named);
        assertNotNull(runTask);
        assertEquals("arn:aws:ecs:us-east-1:123456789012:task-definition/nightly-report:*,"
                + "arn:aws:ecs:us-east-1:123456789012:task-definition/backfill:*", evaluate(runTask.get("Resource"), named));
        assertEquals(String.join(",", clusterArns("prod", "staging")),
                evaluate(at(runTask, "Condition", "ArnEquals", "ecs:cluster"), named));

        Map<String, Object> tag = statement(ECS, "ecs:TagResource", named);
        assertEquals("RunTask", at(tag, "Condition", "StringEquals", "ecs:CreateAction"));
        assertEquals("arn:aws:ecs:us-east-1:123456789012:task/*", evaluate(tag.get("Resource"), named));

        Map<String, String> roles = new HashMap<>(named);
        roles.put("RestartablePassRoleArns", "arn:aws:iam::123456789012:role/app-task,arn:aws:iam::123456789012:role/app-exec");
        Map<String, Object> passRole = statement(ECS, "iam:PassRole", roles);
        assertEquals("arn:aws:iam::123456789012:role/app-task,arn:aws:iam::123456789012:role/app-exec",
                evaluate(passRole.get("Resource"), roles));
        assertEquals("ecs-tasks.amazonaws.com", at(passRole, "Condition", "StringEquals", "iam:PassedToService"));
        assertNull(statement(ECS, "iam:PassRole", with("RestartablePassRoleArns", "arn:aws:iam::123456789012:role/x")),
                "pass roles without restarts grant nothing");
    }

    @Test
    void theEcsFunctionReadsWhatItNeeds() {
        Map<String, String> defaults = with();
        for (String action : List.of("ecs:DescribeTasks", "ecs:ListTasks", "ecs:DescribeTaskDefinition", "logs:GetLogEvents")) {
            assertNotNull(statement(ECS, action, defaults), "ECS function needs " + action);
        }
        assertEquals("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/*:log-stream:*",
                evaluate(statement(ECS, "logs:GetLogEvents", defaults).get("Resource"), defaults));
        assertTrue(allows(ECS, "sqs:ReceiveMessage", getAtt("EcsEventsQueue", "Arn")));
        assertTrue(allows(ECS, "sqs:DeleteMessage", getAtt("EcsEventsQueue", "Arn")));
    }

    @Test
    void theDatacenterOutageReadsAreReadOnlyAndTheVpnFunctionsStayInTheWatchedClusters() {
        assertNotNull(statement(ECS, "ec2:DescribeVpnConnections", with()), "the ECS function reads whether the datacenter is reachable");
        for (String action : List.of("ecs:ListTasks", "ecs:DescribeTasks", "ecs:DescribeServices")) {
            assertNull(statement(VPN, action, with()), "with every cluster watched, the clusters are not guessed: no " + action);
            Map<String, String> named = with("WatchedClusters", "AppsProd,AppsStaging");
            Map<String, Object> read = statement(VPN, action, named);
            assertEquals("arn:*:ecs:*:*:cluster/AppsProd,arn:*:ecs:*:*:cluster/AppsStaging",
                    evaluate(Map.of("Fn::Join", List.of(",", at(read, "Condition", "ArnLike", "ecs:cluster"))), named), action);
        }
        assertNull(statement(VPN, "ecs:DescribeTaskDefinition", with("WatchedClusters", "AppsProd")),
                "the outage list classifies without task definitions");
    }

    @Test
    void theEcsFunctionReadsSilencesOnTheWatchedServicesAndClustersOnly() {
        Map<String, String> all = with();
        assertEquals("arn:aws:ecs:us-east-1:123456789012:service/*", evaluate(statement(ECS, "ecs:DescribeServices", all).get("Resource"), all));
        assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/*", evaluate(statement(ECS, "ecs:DescribeClusters", all).get("Resource"), all));
        Map<String, String> named = with("WatchedClusters", "AppsProd,AppsStaging");
        assertEquals("arn:*:ecs:*:*:service/AppsProd/*,arn:*:ecs:*:*:service/AppsStaging/*",
                joined(statement(ECS, "ecs:DescribeServices", named).get("Resource"), named));
        assertEquals("arn:*:ecs:*:*:cluster/AppsProd,arn:*:ecs:*:*:cluster/AppsStaging",
                joined(statement(ECS, "ecs:DescribeClusters", named).get("Resource"), named));
    }

    @Test
    void tunnelPermissionsAreLimitedToTheWatchedConnections() {
        assertNull(statement(VPN, "ec2:ReplaceVpnTunnel", with()), "replacement is off by default: no permission");
        Map<String, Object> keepaliveTag = statement(VPN, "ec2:CreateTags", with());
        assertEquals(List.of("tidewatch:keepalive-unreachable-since"), pick(at(keepaliveTag, "Condition", "ForAllValues:StringLike", "aws:TagKeys"), with()),
                "without replacement or repair, the one tag written is the keepalive's alarm");
        Map<String, Object> untag = statement(VPN, "ec2:DeleteTags", with());
        assertEquals(List.of("tidewatch:keepalive-unreachable-since"), at(untag, "Condition", "ForAllValues:StringEquals", "aws:TagKeys"));
        assertEquals("arn:aws:ec2:us-east-1:123456789012:vpn-connection/vpn-0a1b2c3d4e5f67890", evaluate(untag.get("Resource"), with()));
        Map<String, String> one = with("EnableTunnelReplacement", "true");
        assertEquals("arn:aws:ec2:us-east-1:123456789012:vpn-connection/vpn-0a1b2c3d4e5f67890",
                evaluate(statement(VPN, "ec2:ReplaceVpnTunnel", one).get("Resource"), one));
        Map<String, String> two = with("EnableTunnelReplacement", "true", "VpnConnectionId2", "vpn-0fedcba9876543210");
        String both = "arn:aws:ec2:us-east-1:123456789012:vpn-connection/vpn-0a1b2c3d4e5f67890,"
                + "arn:aws:ec2:us-east-1:123456789012:vpn-connection/vpn-0fedcba9876543210";
        assertEquals(both, evaluate(statement(VPN, "ec2:ReplaceVpnTunnel", two).get("Resource"), two));

        Map<String, Object> tags = statement(VPN, "ec2:CreateTags", two);
        assertEquals(both, evaluate(tags.get("Resource"), two));
        assertEquals(List.of("tidewatch:*"), pick(at(tags, "Condition", "ForAllValues:StringLike", "aws:TagKeys"), two));
        assertNotNull(statement(VPN, "ec2:DescribeVpnConnections", with()));
    }

    @Test
    void theAlarmFunctionMayInvokeOnlyTheKeepaliveAliasAndOnlyForBursts() {
        Map<String, Object> invoke = statement(VPN, "lambda:InvokeFunction", with());
        assertEquals(ref(KEEPALIVE + "Alias" + ALIAS), invoke.get("Resource"));
        assertNull(statement(VPN, "lambda:InvokeFunction", with("EnableKeepaliveBurst", "false")));
    }

    @Test
    void theKeepaliveHasNoPermissionsBeyondLogsNetworkAndItsFailureQueue() {
        Set<String> actions = new TreeSet<>();
        for (Map<String, Object> s : statements(KEEPALIVE, with())) {
            actions.addAll(strings(s.get("Action")));
        }
        Set<String> expected = new TreeSet<>(VPC_ENI_ACTIONS);
        expected.addAll(List.of("ec2:DescribeSubnets", "logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage"));
        assertEquals(expected, actions);
    }

    @Test
    void theSlackSecretPermissionFollowsTheKindOfReference() {
        Map<String, String> path = with();
        assertEquals("arn:aws:ssm:us-east-1:123456789012:parameter/tidewatch/slack-webhook-url",
                joined(statement(VPN, "ssm:GetParameter", path).get("Resource"), path));
        assertEquals("ssm.us-east-1.amazonaws.com",
                evaluate(at(kmsDecryptVia(ECS, path), "Condition", "StringEquals", "kms:ViaService"), path));
        assertNull(statement(ECS, "secretsmanager:GetSecretValue", path));

        String parameterArn = "arn:aws:ssm:us-east-1:123456789012:parameter/team/slack";
        Map<String, String> ssmArn = with("SlackWebhookSecret", parameterArn);
        assertEquals(parameterArn, joined(statement(ECS, "ssm:GetParameter", ssmArn).get("Resource"), ssmArn));

        Map<String, String> name = with("SlackWebhookSecret", "tidewatch/slack");
        assertEquals("arn:aws:secretsmanager:us-east-1:123456789012:secret:tidewatch/slack-??????",
                joined(statement(ECS, "secretsmanager:GetSecretValue", name).get("Resource"), name));
        assertNull(statement(ECS, "ssm:GetParameter", name));
        assertEquals("secretsmanager.us-east-1.amazonaws.com",
                evaluate(at(kmsDecryptVia(VPN, name), "Condition", "StringEquals", "kms:ViaService"), name));

        String secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tidewatch/slack-AbCdEf";
        Map<String, String> arn = with("SlackWebhookSecret", secretArn);
        assertEquals(secretArn, joined(statement(VPN, "secretsmanager:GetSecretValue", arn).get("Resource"), arn));

        Map<String, String> none = with("SlackWebhookSecret", "");
        for (String function : List.of(ECS, VPN)) {
            assertNull(statement(function, "ssm:GetParameter", none));
            assertNull(statement(function, "secretsmanager:GetSecretValue", none));
            assertFalse(TPL.functionEnvironment(function, none).containsKey("SLACK_WEBHOOK_SECRET"));
        }
        assertFalse(Pattern.compile(parameterPattern("SlackWebhookSecret"))
                .matcher("https://hooks.slack.com/services/T000/B000/XXXX").matches(), "the URL itself is refused");
    }

    @Test
    void theOnCallWebhookIsReadWithTheMainOneAndKeptLikeIt() {
        Map<String, String> both = with("SlackCriticalWebhookSecret", "/tidewatch/slack-oncall-webhook-url");
        for (String function : List.of(ECS, VPN)) {
            assertEquals("arn:aws:ssm:us-east-1:123456789012:parameter/tidewatch/slack-webhook-url,"
                    + "arn:aws:ssm:us-east-1:123456789012:parameter/tidewatch/slack-oncall-webhook-url",
                    joined(statement(function, "ssm:GetParameter", both).get("Resource"), both), "exactly the two parameters");
            Map<String, String> env = TPL.functionEnvironment(function, both);
            assertEquals("/tidewatch/slack-oncall-webhook-url", env.get("SLACK_CRITICAL_WEBHOOK_SECRET"));
            assertEquals("false", env.get("SLACK_CRITICAL_ONLY_THERE"));
            assertEquals("", env.get("SLACK_MENTION_CRITICAL"));
            assertFalse(TPL.functionEnvironment(function, with()).containsKey("SLACK_CRITICAL_WEBHOOK_SECRET"));
        }
        Map<String, String> secrets = with("SlackWebhookSecret", "tidewatch/slack", "SlackCriticalWebhookSecret", "tidewatch/slack-oncall");
        assertEquals("arn:aws:secretsmanager:us-east-1:123456789012:secret:tidewatch/slack-??????,"
                + "arn:aws:secretsmanager:us-east-1:123456789012:secret:tidewatch/slack-oncall-??????",
                joined(statement(ECS, "secretsmanager:GetSecretValue", secrets).get("Resource"), secrets));
        assertEquals(List.of(), refusedBy(both));
        assertEquals(List.of(), refusedBy(secrets));
        assertEquals(List.of("SlackWebhookSecret is an SSM parameter, so SlackCriticalWebhookSecret must be one too"),
                refusedBy(with("SlackCriticalWebhookSecret", "tidewatch/slack-oncall")));
        assertEquals(List.of("SlackWebhookSecret is a Secrets Manager secret, so SlackCriticalWebhookSecret must be one too"),
                refusedBy(with("SlackWebhookSecret", "tidewatch/slack", "SlackCriticalWebhookSecret", "/tidewatch/oncall")));
        assertEquals(List.of("SlackCriticalWebhookSecret needs SlackWebhookSecret (the main webhook) too"),
                refusedBy(with("SlackWebhookSecret", "", "SlackCriticalWebhookSecret", "/tidewatch/oncall")));
        assertEquals(List.of("SlackCriticalOnlyThere=true needs SlackCriticalWebhookSecret, or critical messages reach no Slack channel"),
                refusedBy(with("SlackCriticalOnlyThere", "true")));
        for (String mention : List.of("<!here>", "<!channel>", "<!subteam^S0123ABCD>", "")) {
            assertTrue(Pattern.compile(parameterPattern("SlackMentionCritical")).matcher(mention).matches(), mention);
        }
        assertFalse(Pattern.compile(parameterPattern("SlackMentionCritical")).matcher("<!everyone>").matches());
    }

    /** A list's members resolved and joined with commas (a Resource list). */
    private static String joined(Object list, Map<String, String> overrides) {
        return evaluate(Map.of("Fn::Join", List.of(",", list)), overrides);
    }

    // ------------------------------------------------------------------------------------------------- environment

    @Test
    void everyEnvironmentResolvesWithTheDefaults() {
        Map<String, List<String>> required = Map.of(
                ECS, List.of("NOTIFY_TOPIC_ARN", "SLACK_WEBHOOK_SECRET", "LOG_LEVEL", "WATCHED_CLUSTERS",
                        "ENABLE_TASK_RESTARTS", "CRASH_LOOP_THRESHOLD", "CRASH_LOOP_WINDOW", "LOG_LINES", "JAVA_TOOL_OPTIONS"),
                VPN, List.of("NOTIFY_TOPIC_ARN", "SLACK_WEBHOOK_SECRET", "LOG_LEVEL", "VPN_CONNECTION_IDS",
                        "ENABLE_KEEPALIVE_BURST", "KEEPALIVE_FUNCTION_NAME", "KEEPALIVE_BURST_ROUNDS",
                        "ENABLE_TUNNEL_REPLACEMENT", "TUNNEL_DOWN_THRESHOLD", "TUNNEL_REPLACEMENT_COOLDOWN",
                        "ENABLE_TUNNEL_OPTIONS_REPAIR", "TUNNEL_OPTIONS_REPAIR_COOLDOWN", "METRICS_NAMESPACE", "JAVA_TOOL_OPTIONS"),
                KEEPALIVE, List.of("LOG_LEVEL", "KEEPALIVE_TARGETS", "KEEPALIVE_TIMEOUT", "METRICS_NAMESPACE", "JAVA_TOOL_OPTIONS"));
        for (Map.Entry<String, List<String>> function : required.entrySet()) {
            Map<String, String> environment = TPL.functionEnvironment(function.getKey(), REQUIRED);
            for (String variable : function.getValue()) {
                String value = environment.get(variable);
                assertTrue(value != null && !value.isBlank(), function.getKey() + " " + variable + "='" + value + "'");
            }
        }
    }

    @Test
    void environmentValuesPointAtTheStacksResources() {
        Map<String, String> vpn = TPL.functionEnvironment(VPN, REQUIRED);
        assertEquals("arn:aws:sns:us-east-1:123456789012:NotificationTopic", vpn.get("NOTIFY_TOPIC_ARN"));
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:VpnKeepaliveFunction:live", vpn.get("KEEPALIVE_FUNCTION_NAME"),
                "the alarm function invokes the keepalive's alias (SnapStart), not $LATEST");
        assertEquals("vpn-0a1b2c3d4e5f67890", vpn.get("VPN_CONNECTION_IDS"));
        assertEquals("vpn-0a1b2c3d4e5f67890,vpn-0fedcba9876543210",
                TPL.functionEnvironment(VPN, with("VpnConnectionId2", "vpn-0fedcba9876543210")).get("VPN_CONNECTION_IDS"));
        assertEquals("Tidewatch", vpn.get("METRICS_NAMESPACE"));

        Map<String, String> ecs = TPL.functionEnvironment(ECS, REQUIRED);
        assertEquals("*", ecs.get("WATCHED_CLUSTERS"));
        assertEquals("/tidewatch/slack-webhook-url", ecs.get("SLACK_WEBHOOK_SECRET"));
        assertEquals("INFO", ecs.get("LOG_LEVEL"));
        Map<String, String> changed = TPL.functionEnvironment(ECS, with("LogLevel", "DEBUG", "EnableTaskRestarts", "true",
                "WatchedClusters", "prod,staging"));
        assertEquals("DEBUG", changed.get("LOG_LEVEL"));
        assertEquals("true", changed.get("ENABLE_TASK_RESTARTS"));
        assertEquals("prod,staging", changed.get("WATCHED_CLUSTERS"));
    }

    @Test
    void defaultSettingsParseAsTheFunctionsParseThem() {
        Settings ecs = new Settings(TPL.functionEnvironment(ECS, REQUIRED));
        Settings vpn = new Settings(TPL.functionEnvironment(VPN, REQUIRED));
        Settings keepalive = new Settings(TPL.functionEnvironment(KEEPALIVE, REQUIRED));
        assertEquals(Duration.ofMinutes(15), ecs.duration("CRASH_LOOP_WINDOW", null));
        assertEquals(3, ecs.integer("CRASH_LOOP_THRESHOLD", 0, 2, 1000));
        assertEquals(20, ecs.integer("LOG_LINES", 0, 0, 100));
        assertFalse(ecs.flag("ENABLE_TASK_RESTARTS", true));
        assertEquals(Duration.ofMinutes(30), vpn.duration("TUNNEL_DOWN_THRESHOLD", null));
        assertEquals(Duration.ofHours(6), vpn.duration("TUNNEL_REPLACEMENT_COOLDOWN", null));
        assertTrue(vpn.flag("ENABLE_KEEPALIVE_BURST", false));
        assertFalse(vpn.flag("ENABLE_TUNNEL_REPLACEMENT", true));
        assertEquals(3, vpn.integer("KEEPALIVE_BURST_ROUNDS", 0, 1, 10));
        assertEquals(Duration.ofSeconds(3), keepalive.duration("KEEPALIVE_TIMEOUT", null));
        assertTrue(keepalive.duration("KEEPALIVE_TIMEOUT", null).compareTo(Duration.ofSeconds(TIMEOUTS.get(KEEPALIVE))) < 0);
        String cidr = (String) map(TPL.parameters().get("DatacenterCidr"), "DatacenterCidr").get("Default");
        List<String> targets = keepalive.list("KEEPALIVE_TARGETS");
        assertFalse(targets.isEmpty());
        for (String target : targets) {
            String host;
            if (target.startsWith("http://") || target.startsWith("https://")) {
                host = URI.create(target).getHost();
            } else {
                int colon = target.lastIndexOf(':');
                assertTrue(colon > 0, target + " is host:port");
                int port = Integer.parseInt(target.substring(colon + 1));
                assertTrue(port > 0 && port < 65536, target);
                host = target.substring(0, colon);
            }
            assertTrue(inCidr(host, cidr), target + " must be inside DatacenterCidr " + cidr + " (the keepalive may reach nothing else)");
        }
    }

    @Test
    void onlyTheNetworkHasNoDefaultAndTheLocalStandInsAreAllowedValues() {
        // That each Default matches its AllowedPattern or AllowedValues is cfn-lint's E2015 (.ci/run).
        Set<String> withoutDefault = new TreeSet<>();
        for (Map.Entry<String, Object> entry : TPL.parameters().entrySet()) {
            if (!map(entry.getValue(), entry.getKey()).containsKey("Default")) {
                withoutDefault.add(entry.getKey());
            }
        }
        assertEquals(Set.of("VpcId", "PrivateSubnetIds", "VpnConnectionId1"), withoutDefault,
                "sam deploy --guided must only need these");
        assertEquals(withoutDefault, new TreeSet<>(REQUIRED.keySet()),
                "the local runner's stand-ins (Metadata: Tidewatch::LocalInvoke) cover exactly the parameters without a default");
        for (Map.Entry<String, String> standIn : REQUIRED.entrySet()) {
            assertAllowed(standIn.getKey(), map(TPL.parameters().get(standIn.getKey()), standIn.getKey()), standIn.getValue());
        }
        assertTrue(REQUIRED.get("VpcId").matches("vpc-[0-9a-f]{8,17}"));
        for (String subnet : REQUIRED.get("PrivateSubnetIds").split(",")) {
            assertTrue(subnet.matches("subnet-[0-9a-f]{8,17}"), subnet);
        }
    }


    @Test
    void outputsNameTheTopicTheQueuesAndTheAliases() {
        Map<String, Object> outputs = map(TPL.root().get("Outputs"), "Outputs");
        assertEquals(ref("NotificationTopic"), at(outputs, "NotificationTopicArn", "Value"));
        for (String queue : List.of("EcsEventsQueue", "EcsEventsDeadLetterQueue", "FailedInvocationsQueue")) {
            assertEquals(ref(queue), at(outputs, queue + "Url", "Value"));
        }
        for (String function : TPL.functionIds()) {
            assertEquals(ref(function + "Alias" + ALIAS), at(outputs, function + "AliasArn", "Value"));
        }
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    private static String securityGroupOf(String function) {
        Object group = list(map(merged(function, "VpcConfig"), "VpcConfig").get("SecurityGroupIds"), "groups").get(0);
        return (String) map(group, "group").get("Ref");
    }

    private static Map<String, Object> events(String function) {
        Object events = properties(function).get("Events");
        return events == null ? Map.of() : map(events, function + " Events");
    }

    private static Map<String, Object> sqsEvent(String function) {
        List<Map<String, Object>> sqs = new ArrayList<>();
        for (Object event : events(function).values()) {
            if ("SQS".equals(map(event, "event").get("Type"))) {
                sqs.add(map(map(event, "event").get("Properties"), "SQS event Properties"));
            }
        }
        assertEquals(1, sqs.size(), function + " SQS event sources");
        return sqs.get(0);
    }

    /** The functions whose alias some alarm action names. */
    private static Set<String> alarmActionTargets() {
        Set<String> targets = new HashSet<>();
        for (String alarm : resourcesOfType("AWS::CloudWatch::Alarm")) {
            for (String key : List.of("AlarmActions", "OKActions", "InsufficientDataActions")) {
                Object actions = properties(alarm).get(key);
                if (actions == null) {
                    continue;
                }
                for (Object action : list(actions, key)) {
                    Object name = map(action, "action").get("Ref");
                    for (String function : TPL.functionIds()) {
                        if ((function + "Alias" + ALIAS).equals(name)) {
                            targets.add(function);
                        }
                    }
                }
            }
        }
        return targets;
    }

    private static List<String> alarmsInvoking(String function) {
        List<String> alarms = new ArrayList<>();
        for (String alarm : resourcesOfType("AWS::CloudWatch::Alarm")) {
            Object actions = properties(alarm).get("AlarmActions");
            if (actions != null && list(actions, "AlarmActions").contains(ref(function + "Alias" + ALIAS))) {
                alarms.add(alarm);
            }
        }
        return alarms;
    }

    private static Map<String, Object> onlyStatementOfQueuePolicy(String queue) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (String policy : resourcesOfType("AWS::SQS::QueuePolicy")) {
            if (list(properties(policy).get("Queues"), "Queues").contains(ref(queue))) {
                for (Object statement : list(at(properties(policy), "PolicyDocument", "Statement"), "Statement")) {
                    found.add(map(statement, "statement"));
                }
            }
        }
        assertEquals(1, found.size(), queue + " queue policy statements");
        return found.get(0);
    }

    private static Map<String, Object> kmsDecryptVia(String function, Map<String, String> overrides) {
        return statements(function, overrides).stream()
                .filter(s -> strings(s.get("Action")).equals(List.of("kms:Decrypt")))
                .filter(s -> s.get("Condition") != null).findFirst()
                .orElseThrow(() -> new AssertionError(function + " has no kms:Decrypt via a service"));
    }

    /** Whether the role allows the action on exactly this resource (as written), with the default parameters. */
    private static boolean allows(String function, String action, Object resource) {
        for (Map<String, Object> s : statements(function, with())) {
            if ("Allow".equals(s.get("Effect")) && strings(s.get("Action")).contains(action)) {
                Object resources = s.get("Resource");
                if (resource.equals(resources) || (resources instanceof List<?> items && items.contains(resource))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every statement of every identity and resource policy in the template (keyed by where it is). */
    private static Map<String, Map<String, Object>> allPolicyStatements() {
        Map<String, Map<String, Object>> statements = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : TPL.resources().entrySet()) {
            String id = entry.getKey();
            Map<String, Object> resource = map(entry.getValue(), id);
            Object type = resource.get("Type");
            Map<String, Object> p = resource.get("Properties") == null ? Map.of() : map(resource.get("Properties"), id);
            List<Object> documents = new ArrayList<>();
            if ("AWS::IAM::Role".equals(type) && p.get("Policies") != null) {
                for (Object policy : list(p.get("Policies"), id)) {
                    documents.add(at(policy, "PolicyDocument"));
                }
            } else if (Set.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy")
                    .contains(type)) {
                documents.add(p.get("PolicyDocument"));
            } else if ("AWS::Serverless::Function".equals(type) && p.get("Policies") != null) {
                fail(id + " has SAM Policies; the functions use explicit roles");
            }
            // KMS key policies are left out on purpose: in a key policy Resource "*" means "this key".
            int index = 0;
            for (Object document : documents) {
                for (Object statement : list(at(document, "Statement"), id + " Statement")) {
                    for (Object branch : branches(statement)) {
                        Map<String, Object> s = map(branch, id + " statement");
                        statements.put(id + "[" + index++ + "] " + s.getOrDefault("Sid", ""), s);
                    }
                }
            }
        }
        assertTrue(statements.size() > 20, "the walk found the policies: " + statements.size());
        return statements;
    }

    private interface NodeVisitor {
        void visit(String path, Map<String, Object> node);
    }

    @SuppressWarnings("unchecked")
    private static void walk(Object value, String path, NodeVisitor visitor) {
        if (value instanceof Map<?, ?> node) {
            visitor.visit(path, (Map<String, Object>) node);
            for (Map.Entry<?, ?> entry : node.entrySet()) {
                walk(entry.getValue(), path + "/" + entry.getKey(), visitor);
            }
        } else if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                walk(items.get(i), path + "[" + i + "]", visitor);
            }
        }
    }

    private static List<String> clusterFilter(Map<String, String> overrides) {
        Object detail = at(properties("EcsTaskStoppedRule"), "EventPattern", "detail");
        Object clusters = map(pick(detail, overrides), "detail").get("clusterArn");
        return List.of(evaluate(clusters, overrides).split(","));
    }

    private static void assertAllowed(String name, Map<String, Object> parameter, String value) {
        if (parameter.get("AllowedValues") != null) {
            List<String> allowed = list(parameter.get("AllowedValues"), name).stream().map(String::valueOf).toList();
            assertTrue(allowed.contains(value), name + " default " + value + " not in " + allowed);
        }
        if (parameter.get("AllowedPattern") != null) {
            assertTrue(Pattern.compile((String) parameter.get("AllowedPattern")).matcher(value).matches(),
                    name + " default '" + value + "' does not match " + parameter.get("AllowedPattern"));
        }
    }

    private static Duration rate(String expression) {
        Matcher matcher = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours)\\)").matcher(expression);
        assertTrue(matcher.matches(), "expected rate(N minutes): " + expression);
        long amount = Long.parseLong(matcher.group(1));
        return matcher.group(2).startsWith("minute") ? Duration.ofMinutes(amount) : Duration.ofHours(amount);
    }

    private static boolean inCidr(String host, String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (ipv4(host) & mask) == (ipv4(parts[0]) & mask);
    }

    private static long ipv4(String address) {
        String[] octets = address.split("\\.");
        assertEquals(4, octets.length, address + " is an IPv4 address");
        long value = 0;
        for (String octet : octets) {
            int number = Integer.parseInt(octet);
            assertTrue(number >= 0 && number < 256, address);
            value = (value << 8) | number;
        }
        return value;
    }
}
