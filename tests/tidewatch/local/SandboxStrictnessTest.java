package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import tidewatch.aws.AwsClients;

/** The sandbox refuses what AWS refuses: names the account does not hold, tags the services do not take. */
class SandboxStrictnessTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:tidewatch-notifications";
    private static final String VPN = "vpn-0a1b2c3d4e5f67890";
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();

    private AwsClients aws(World world) {
        return sandboxes.start(world).clients(Duration.ofSeconds(2));
    }

    @Test
    void snsPublishesOnlyToATopicTheAccountHasAndRefusesASubjectSnsRefuses() {
        AwsClients aws = aws(World.empty().topic(TOPIC));
        assertDoesNotThrow(() -> aws.sns().publish(r -> r.topicArn(TOPIC).subject("[WARNING] ok").message("m")));
        NotFoundException unknown = assertThrows(NotFoundException.class,
                () -> aws.sns().publish(r -> r.topicArn(TOPIC + "-typo").message("m")));
        assertEquals(404, unknown.statusCode());
        assertEquals("NotFound", unknown.awsErrorDetails().errorCode());
        for (String subject : List.of("x".repeat(100), "two\nlines", "")) {
            var refused = assertThrows(software.amazon.awssdk.services.sns.model.InvalidParameterException.class,
                    () -> aws.sns().publish(r -> r.topicArn(TOPIC).subject(subject).message("m")));
            assertEquals(400, refused.statusCode(), subject);
        }
        assertDoesNotThrow(() -> aws.sns().publish(r -> r.topicArn(TOPIC).subject("x".repeat(99)).message("m")));
        assertThrows(software.amazon.awssdk.services.sns.model.InvalidParameterException.class,
                () -> aws.sns().publish(r -> r.topicArn(TOPIC).message("é".repeat(131_073))), "262,146 bytes is over 256 KiB");
    }

    @Test
    void aParameterOrSecretExistsOnlyWhenDeclaredAndIsFoundByNameOrArn() {
        AwsClients aws = aws(World.empty().parameter("/tidewatch/slack-webhook-url", "https://hooks.slack.com/services/T/B/x")
                .secret("tidewatch/slack", "https://hooks.slack.com/services/T/B/y"));
        assertEquals("https://hooks.slack.com/services/T/B/x",
                aws.ssm().getParameter(r -> r.name("/tidewatch/slack-webhook-url").withDecryption(true)).parameter().value());
        assertEquals("https://hooks.slack.com/services/T/B/x", aws.ssm().getParameter(r -> r
                .name("arn:aws:ssm:us-east-1:123456789012:parameter/tidewatch/slack-webhook-url")).parameter().value());
        assertThrows(ParameterNotFoundException.class, () -> aws.ssm().getParameter(r -> r.name("/tidewatch/slack-webhook")));
        assertEquals("https://hooks.slack.com/services/T/B/y", aws.secretsManager().getSecretValue(r -> r.secretId("tidewatch/slack")).secretString());
        assertEquals("https://hooks.slack.com/services/T/B/y", aws.secretsManager().getSecretValue(r -> r
                .secretId("arn:aws:secretsmanager:us-east-1:123456789012:secret:tidewatch/slack-AbC123")).secretString());
        assertThrows(ResourceNotFoundException.class, () -> aws.secretsManager().getSecretValue(r -> r.secretId("/tidewatch/slack-webhook-url")),
                "a parameter's name is not a secret: each service holds its own");
    }

    @Test
    void aFunctionIsInvokedOnlyByANameTheAccountHasAndAnAliasOnlyWhenItExists() {
        AwsClients aws = aws(World.empty().function("tidewatch-keepalive").function("tidewatch-keepalive:live"));
        for (String name : List.of("tidewatch-keepalive", "tidewatch-keepalive:live", "tidewatch-keepalive:$LATEST",
                "arn:aws:lambda:us-east-1:123456789012:function:tidewatch-keepalive:live", "123456789012:function:tidewatch-keepalive")) {
            assertEquals(202, aws.lambda().invoke(r -> r.functionName(name).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{}"))).statusCode(), name);
        }
        for (String name : List.of("tidewatch-keepalive:prod", "tidewatch-keepalive-typo")) {
            var missing = assertThrows(software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.class,
                    () -> aws.lambda().invoke(r -> r.functionName(name).invocationType(InvocationType.EVENT)));
            assertEquals(404, missing.statusCode(), name);
            assertTrue(missing.getMessage().contains("Function not found: arn:aws:lambda:us-east-1:123456789012:function:" + name), missing.getMessage());
        }
    }

    @Test
    void listLimitsAreTheServicesOwn() {
        AwsClients aws = aws(World.empty().log("AppsProd/registry-certs/ecs/service/abc", List.of("line")));
        List<String> hundred = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            hundred.add("arn:aws:ecs:us-east-1:123456789012:task/prod/" + i);
        }
        assertDoesNotThrow(() -> aws.ecs().describeTasks(r -> r.cluster("prod").tasks(hundred.subList(0, 100))));
        assertThrows(InvalidParameterException.class, () -> aws.ecs().describeTasks(r -> r.cluster("prod").tasks(hundred)));
        assertThrows(InvalidParameterException.class, () -> aws.ecs().listTasks(r -> r.cluster("prod").maxResults(101)));
        assertThrows(InvalidParameterException.class, () -> aws.ecs().describeServices(r -> r.cluster("prod").services(hundred.subList(0, 11))));
        assertDoesNotThrow(() -> aws.logs().getLogEvents(r -> r.logGroupName("AppsProd/registry-certs").logStreamName("ecs/service/abc").limit(10_000)));
        assertThrows(software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException.class, () -> aws.logs()
                .getLogEvents(r -> r.logGroupName("AppsProd/registry-certs").logStreamName("ecs/service/abc").limit(10_001)));
        assertThrows(software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException.class, () -> aws.logs()
                .filterLogEvents(r -> r.logGroupName("AppsProd/registry-certs").limit(10_001)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sg-0123456789abcdef0,sg-0fedcba9876543210", "a;b", "aws:reserved", "AWS:Reserved", "quote\"d"})
    void ecsRefusesATagValueOutsideItsPattern(String value) {
        AwsClients aws = aws(World.empty());
        InvalidParameterException refused = assertThrows(InvalidParameterException.class, () -> aws.ecs().runTask(r -> r
                .cluster("prod").taskDefinition("report:7").tags(Tag.builder().key("tidewatch:security-groups").value(value).build())));
        assertEquals(400, refused.statusCode());
    }

    @Test
    void ecsTakesTheTagsTidewatchWritesAndTheValuesItAdvisesAndRefusesMoreThanFiftyOrLongOnes() {
        AwsClients aws = aws(World.empty());
        assertDoesNotThrow(() -> aws.ecs().runTask(r -> r.cluster("prod").taskDefinition("report:7").tags(
                Tag.builder().key("tidewatch:security-groups").value("sg-0123456789abcdef0 sg-0fedcba9876543210").build(),
                Tag.builder().key("tidewatch:restart").value("on-failure:3").build(),
                Tag.builder().key("tidewatch:restarted-from").value("arn:aws:ecs:us-east-1:123456789012:task/prod/5e6f7a8b").build(),
                Tag.builder().key("tidewatch:restart-count").value("2").build(),
                Tag.builder().key("owner").value("").build())));
        List<Tag> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertThrows(InvalidParameterException.class, () -> aws.ecs().runTask(r -> r.cluster("prod").taskDefinition("report:7").tags(fiftyOne)));
        assertThrows(InvalidParameterException.class, () -> aws.ecs().runTask(r -> r.cluster("prod").taskDefinition("report:7")
                .tags(Tag.builder().key("k".repeat(129)).value("v").build())));
        assertThrows(InvalidParameterException.class, () -> aws.ecs().runTask(r -> r.cluster("prod").taskDefinition("report:7")
                .tags(Tag.builder().key("k").value("v".repeat(257)).build())));
    }

    @Test
    void ec2TakesAnyCharactersButRefusesLongKeysTheAwsPrefixAndAFiftyFirstTag() {
        World world = World.empty().addVpnConnection(Map.of("VpnConnectionId", VPN, "Tags", List.of()));
        AwsClients aws = aws(world);
        assertDoesNotThrow(() -> aws.ec2().createTags(r -> r.resources(VPN).tags(t -> t.key("tidewatch:replaced:203.0.113.10")
                .value("2026-12-04T10:00:00Z, by Tidewatch"))));
        for (String key : List.of("k".repeat(128), "aws:cloudformation:x", "")) {
            Ec2Exception refused = assertThrows(Ec2Exception.class, () -> aws.ec2().createTags(r -> r.resources(VPN).tags(t -> t.key(key).value("v"))));
            assertEquals("InvalidParameterValue", refused.awsErrorDetails().errorCode(), key);
        }
        Ec2Exception tooLong = assertThrows(Ec2Exception.class, () -> aws.ec2().createTags(r -> r.resources(VPN).tags(t -> t.key("k").value("v".repeat(257)))));
        assertEquals("InvalidParameterValue", tooLong.awsErrorDetails().errorCode());
        List<software.amazon.awssdk.services.ec2.model.Tag> fortyNine = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            fortyNine.add(software.amazon.awssdk.services.ec2.model.Tag.builder().key("k" + i).value("v").build());
        }
        assertDoesNotThrow(() -> aws.ec2().createTags(r -> r.resources(VPN).tags(fortyNine)), "49 more make 50");
        assertDoesNotThrow(() -> aws.ec2().createTags(r -> r.resources(VPN).tags(t -> t.key("k0").value("changed"))), "a key it has is replaced");
        Ec2Exception full = assertThrows(Ec2Exception.class, () -> aws.ec2().createTags(r -> r.resources(VPN).tags(t -> t.key("k50").value("v"))));
        assertEquals("TagLimitExceeded", full.awsErrorDetails().errorCode());
    }

    @Test
    void ecsAnswersForTheClusterAskedAboutAsItsApiDoes() {
        String cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/AppsProd";
        AwsClients aws = aws(World.load(java.nio.file.Path.of("events/worlds/appsprod-service-events.json")).addService(Map.of(
                "serviceName", "tagged", "serviceArn", "arn:aws:ecs:us-east-1:123456789012:service/AppsProd/tagged", "clusterArn", cluster,
                "tags", List.of(Map.of("key", "team", "value", "digital")))));
        List<String> active = aws.ecs().listContainerInstances(r -> r.cluster(cluster).status("ACTIVE")).containerInstanceArns();
        assertEquals(2, active.size());
        assertEquals(List.of(), aws.ecs().listContainerInstances(r -> r.cluster(cluster).status("DRAINING")).containerInstanceArns());
        assertEquals(List.of(), aws.ecs().listContainerInstances(r -> r.cluster("AppsStaging")).containerInstanceArns(), "another cluster's");
        var described = aws.ecs().describeContainerInstances(r -> r.cluster("AppsProd").containerInstances(active.get(0), "0000-missing"));
        assertEquals(150, described.containerInstances().get(0).remainingResources().stream()
                .filter(x -> x.name().equals("MEMORY")).findFirst().orElseThrow().integerValue());
        assertEquals("MISSING", described.failures().get(0).reason());
        assertThrows(InvalidParameterException.class, () -> aws.ecs().describeContainerInstances(r -> r.cluster(cluster)
                .containerInstances(java.util.Collections.nCopies(101, active.get(0)))), "100 at most");
        assertEquals(List.of("arn:aws:ecs:us-east-1:123456789012:task/AppsProd/1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6",
                        "arn:aws:ecs:us-east-1:123456789012:task/AppsProd/2b3c4d5e6f7a48b9c0d1e2f3a4b5c6d7"),
                aws.ecs().listTasks(r -> r.cluster(cluster).containerInstance(active.get(0))).taskArns(), "tasks by container instance");
        assertTrue(aws.ecs().describeServices(r -> r.cluster(cluster).services("tagged")).services().get(0).tags().isEmpty(), "no tags unless asked");
        assertEquals(1, aws.ecs().describeServices(r -> r.cluster(cluster).services("tagged").include(
                software.amazon.awssdk.services.ecs.model.ServiceField.TAGS)).services().get(0).tags().size());
        assertEquals("MISSING", aws.ecs().describeServices(r -> r.cluster("AppsStaging").services("registry-certs")).failures().get(0).reason(),
                "a service is found in its own cluster only");
    }
}
