package tidewatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.amazonaws.services.lambda.runtime.events.CloudWatchCompositeAlarmEvent;
import com.amazonaws.services.lambda.runtime.events.CloudWatchMetricAlarmEvent;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tidewatch.ecs.TaskStopEvent;
import tidewatch.json.Json;
import tidewatch.vpn.AlarmEvent;
import tidewatch.vpn.AlarmParser;
import tidewatch.vpn.AlarmState;
import tidewatch.vpn.ParsedEvent;

/**
 * AWS's own published sample events (../shared/reference-events, beside the checkout) read by Tidewatch's parsers,
 * and where aws-lambda-java-events models the shape, read the same way as by the Lambda Java runtime's serializer.
 */
class ReferenceEventsTest {
    private static final Path REFERENCE = Path.of("..", "shared", "reference-events");

    @BeforeAll
    static void referenceEventsAreBesideTheCheckout() {
        Assumptions.assumeTrue(Files.isDirectory(REFERENCE), "no " + REFERENCE.toAbsolutePath() + " on this machine");
    }

    private static String read(String file) throws IOException {
        return Files.readString(REFERENCE.resolve(file), StandardCharsets.UTF_8);
    }

    private static <T> T runtimeRead(String file, Class<T> type) throws IOException {
        return LambdaEventSerializers.serializerFor(type, ClassLoader.getSystemClassLoader())
                .fromJson(new ByteArrayInputStream(read(file).getBytes(StandardCharsets.UTF_8)));
    }

    private static AlarmEvent onlyAlarm(String payload) {
        List<ParsedEvent> parsed = AlarmParser.parse(payload);
        assertEquals(1, parsed.size());
        return assertInstanceOf(ParsedEvent.Alarm.class, parsed.get(0)).event();
    }

    @Test
    void theEcsDeveloperGuidesTaskStateChangeParsesAndIsNotAStop() throws IOException {
        TaskStopEvent event = TaskStopEvent.fromEventBridge(Json.parseObject(read("ecs-dev-guide__task-state-change-RUNNING.json"), "event"));
        assertFalse(event.isStopped());
        assertEquals("FargateApp", event.containers().get(0).name());
        assertEquals(List.of("subnet-abcd1234"), event.subnetIds());
        assertEquals("sample-fargate:1", event.taskDefinitionRevision());
        assertEquals(4, event.version());
    }

    @Test
    void theMetricAlarmLambdaActionReadsAsTheRuntimeReadsIt() throws IOException {
        String file = "lambda-java-tests__cloudwatch_metric_alarm.json";
        CloudWatchMetricAlarmEvent runtime = runtimeRead(file, CloudWatchMetricAlarmEvent.class);
        AlarmEvent ours = onlyAlarm(read(file));
        assertEquals(runtime.getAlarmData().getAlarmName(), ours.alarmName());
        assertEquals(runtime.getAlarmArn(), ours.alarmArn());
        assertEquals(runtime.getRegion(), ours.region());
        assertEquals(runtime.getAlarmData().getState().getValue(), ours.newState().name());
        assertEquals(runtime.getAlarmData().getPreviousState().getValue(), ours.oldState().name());
        assertEquals(runtime.getAlarmData().getState().getReason(), ours.reason());
        assertEquals("AWS/Logs", ours.namespace());
        assertEquals("i-12345678", ours.dimension("InstanceId"));
    }

    @Test
    void theCompositeAlarmLambdaActionReadsAsTheRuntimeReadsIt() throws IOException {
        String file = "lambda-java-tests__cloudwatch_composite_alarm.json";
        CloudWatchCompositeAlarmEvent runtime = runtimeRead(file, CloudWatchCompositeAlarmEvent.class);
        AlarmEvent ours = onlyAlarm(read(file));
        assertEquals(runtime.getAlarmData().getAlarmName(), ours.alarmName());
        assertEquals(runtime.getAlarmData().getState().getValue(), ours.newState().name());
        assertEquals(runtime.getAlarmData().getConfiguration().getAlarmRule(), ours.alarmRule());
        assertEquals(null, ours.metricName());
    }

    @Test
    void theSnsAlarmNotificationsReadAsAlarmsWithTheirTriggerDimensions() throws IOException {
        for (String file : List.of("aws-lambda-go__cloudwatch-alarm-sns-payload-single-metric.json",
                "aws-lambda-go__cloudwatch-alarm-sns-payload-multiple-metrics.json")) {
            SNSEvent runtime = runtimeRead(file, SNSEvent.class);
            AlarmEvent ours = onlyAlarm(read(file));
            String message = runtime.getRecords().get(0).getSNS().getMessage();
            assertEquals(Json.parseObject(message, "message").string("AlarmName"), ours.alarmName(), file);
            assertEquals(AlarmState.ALARM, ours.newState(), file);
            assertEquals(AlarmState.INSUFFICIENT_DATA, ours.oldState(), file);
            assertEquals("TestInstance", ours.dimension("InstanceId"), file);
            assertEquals("NetworkOut", ours.metricName(), file);
        }
    }

    @Test
    void theUserGuidesEventBridgeAlarmReadsWithItsPreviousStateTime() throws IOException {
        AlarmEvent ours = onlyAlarm(read("cloudwatch-user-guide__alarm-state-change-single-metric.json"));
        assertEquals("ServerCpuTooHigh", ours.alarmName());
        assertEquals("us-east-1", ours.region());
        assertEquals(AlarmState.OK, ours.oldState());
        assertEquals("2019-10-01T13:56:40.987Z", ours.previousStateTime().toString());
        assertEquals("i-12345678901234567", ours.dimension("InstanceId"));
    }

    @Test
    void anSnsMessageThatIsNoAlarmIsPassedOnAsUnrecognised() throws IOException {
        SNSEvent runtime = runtimeRead("lambda-java-tests__sns_event.json", SNSEvent.class);
        List<ParsedEvent> parsed = AlarmParser.parse(read("lambda-java-tests__sns_event.json"));
        ParsedEvent.Unrecognised unrecognised = assertInstanceOf(ParsedEvent.Unrecognised.class, parsed.get(0));
        assertEquals(runtime.getRecords().size(), parsed.size());
        assertFalse(unrecognised.rawText().isEmpty());
    }

    @Test
    void theScheduledEventIsATunnelCheckForTheAlarmFunction() throws IOException {
        assertInstanceOf(ParsedEvent.TunnelCheck.class, AlarmParser.parse(read("lambda-java-tests__cloudwatch_event.json")).get(0));
    }
}
