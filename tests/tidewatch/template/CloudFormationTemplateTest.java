package tidewatch.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tidewatch.local.CloudFormationTemplate;

class CloudFormationTemplateTest {
    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Stage:
                Type: String
                Default: dev
                AllowedValues: [dev, prod]
              Names:
                Type: CommaDelimitedList
                Default: "a,b,c"
              Required:
                Type: String
              Count:
                Type: Number
                Default: 3
            Mappings:
              Sizes:
                dev: {Memory: "256"}
                prod: {Memory: "1024"}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
              NotProd: !Not [!Condition IsProd]
              ProdAndThree: !And [!Condition IsProd, !Equals [!Ref Count, "3"]]
              ProdOrThree: !Or [!Condition IsProd, !Equals [!Ref Count, "3"]]
              HasSecondName: !Not [!Equals [!Select [1, !Split [",", !Sub ["${Joined},", {Joined: !Join [",", !Ref Names]}]]], ""]]
            Globals:
              Function:
                Handler: example.Global::handle
                AutoPublishAlias: live
                Environment:
                  Variables:
                    FROM_GLOBALS: global
                    OVERRIDDEN: global
            Resources:
              Topic:
                Type: AWS::SNS::Topic
              Queue:
                Type: AWS::SQS::Queue
              ProdOnlyQueue:
                Type: AWS::SQS::Queue
                Condition: IsProd
              Rule:
                Type: AWS::Events::Rule
              Other:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: the-other-one
              Helper:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: example.Helper::handle
              Main:
                Type: AWS::Serverless::Function
                Properties:
                  Environment:
                    Variables:
                      OVERRIDDEN: own
                      STAGE: !Ref Stage
                      REQUIRED: !Ref Required
                      NAMES: !Ref Names
                      COUNT: !Ref Count
                      REGION: !Ref AWS::Region
                      ACCOUNT: !Ref AWS::AccountId
                      STACK: !Ref AWS::StackName
                      PARTITION: !Ref AWS::Partition
                      TOPIC: !Ref Topic
                      QUEUE_URL: !Ref Queue
                      QUEUE_ARN: !GetAtt Queue.Arn
                      QUEUE_ARN_LONG: {"Fn::GetAtt": [Queue, Arn]}
                      QUEUE_NAME: !GetAtt Queue.QueueName
                      RULE_ARN: !GetAtt Rule.Arn
                      HELPER: !Ref Helper
                      OTHER: !Ref Other
                      HELPER_ALIAS: !Ref HelperAliaslive
                      HELPER_ALIAS_DOT: !Ref Helper.Alias
                      HELPER_ARN: !GetAtt Helper.Arn
                      SUB: !Sub "${AWS::StackName}-${Stage}-${Topic}-${Queue.Arn}-${!Literal}"
                      SUB_VARS: !Sub ["${Prefix}/${Stage}", {Prefix: !Select [0, !Ref Names]}]
                      JOINED: !Join ["+", [x, !Ref Stage, !Select [2, !Ref Names]]]
                      SPLIT: !Select [1, !Split ["/", "one/two/three"]]
                      IF: !If [IsProd, production, development]
                      IF_LONG: {"Fn::If": [ProdOrThree, yes-or, no-or]}
                      AND: !If [ProdAndThree, both, not-both]
                      MAPPED: !FindInMap [Sizes, !Ref Stage, Memory]
                      ENCODED: !Base64 hello
                      DROPPED: !If [IsProd, kept, !Ref AWS::NoValue]
                      LITERAL: 42
                      FLAG: true
            """;

    @TempDir
    Path directory;

    private CloudFormationTemplate load(String text) throws IOException {
        Path file = directory.resolve("template.yaml");
        Files.writeString(file, text);
        return CloudFormationTemplate.load(file);
    }

    @Test
    void everyShortFormTagBecomesItsLongForm() throws IOException {
        CloudFormationTemplate template = load("""
                Resources:
                  R:
                    Type: X
                    Properties:
                      Ref: !Ref Thing
                      Sub: !Sub "a-${B}"
                      SubList: !Sub ["${A}", {A: b}]
                      GetAtt: !GetAtt Res.Attr
                      GetAttDotted: !GetAtt Res.Endpoint.Address
                      GetAttList: !GetAtt [Res, Attr]
                      If: !If [C, a, b]
                      Equals: !Equals [a, b]
                      Not: !Not [!Condition C]
                      And: !And [!Condition C, !Condition D]
                      Or: !Or [!Condition C, !Condition D]
                      Join: !Join [",", [a, b]]
                      Select: !Select [0, [a]]
                      Split: !Split [",", "a,b"]
                      FindInMap: !FindInMap [M, K, L]
                      Condition: !Condition C
                      ImportValue: !ImportValue exported
                      Base64: !Base64 text
                      Cidr: !Cidr ["10.0.0.0/16", 4, 8]
                      GetAZs: !GetAZs ""
                      Nested: !Join ["", [!Ref A, !Sub "${B}"]]
                """);
        Map<String, Object> p = TemplateFixture.map(template.resource("R").get("Properties"), "Properties");
        assertEquals(Map.of("Ref", "Thing"), p.get("Ref"));
        assertEquals(Map.of("Fn::Sub", "a-${B}"), p.get("Sub"));
        assertEquals(Map.of("Fn::Sub", List.of("${A}", Map.of("A", "b"))), p.get("SubList"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Res", "Attr")), p.get("GetAtt"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Res", "Endpoint.Address")), p.get("GetAttDotted"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Res", "Attr")), p.get("GetAttList"));
        assertEquals(Map.of("Fn::If", List.of("C", "a", "b")), p.get("If"));
        assertEquals(Map.of("Fn::Equals", List.of("a", "b")), p.get("Equals"));
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Condition", "C"))), p.get("Not"));
        assertEquals(Map.of("Fn::And", List.of(Map.of("Condition", "C"), Map.of("Condition", "D"))), p.get("And"));
        assertEquals(Map.of("Fn::Or", List.of(Map.of("Condition", "C"), Map.of("Condition", "D"))), p.get("Or"));
        assertEquals(Map.of("Fn::Join", List.of(",", List.of("a", "b"))), p.get("Join"));
        assertEquals(Map.of("Fn::Select", List.of(0, List.of("a"))), p.get("Select"));
        assertEquals(Map.of("Fn::Split", List.of(",", "a,b")), p.get("Split"));
        assertEquals(Map.of("Fn::FindInMap", List.of("M", "K", "L")), p.get("FindInMap"));
        assertEquals(Map.of("Condition", "C"), p.get("Condition"));
        assertEquals(Map.of("Fn::ImportValue", "exported"), p.get("ImportValue"));
        assertEquals(Map.of("Fn::Base64", "text"), p.get("Base64"));
        assertEquals(Map.of("Fn::Cidr", List.of("10.0.0.0/16", 4, 8)), p.get("Cidr"));
        assertEquals(Map.of("Fn::GetAZs", ""), p.get("GetAZs"));
        assertEquals(Map.of("Fn::Join", List.of("", List.of(Map.of("Ref", "A"), Map.of("Fn::Sub", "${B}")))), p.get("Nested"));
    }

    @Test
    void anUnknownTagOrABadGetAttIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> load("Resources:\n  R: !Nope x\n"));
        assertThrows(IllegalArgumentException.class, () -> load("Resources:\n  R: !GetAtt NoAttribute\n"));
        assertThrows(IllegalArgumentException.class, () -> load("- just\n- a list\n"));
    }

    @Test
    void sectionsAndFunctions() throws IOException {
        CloudFormationTemplate template = load(TEMPLATE);
        assertEquals(List.of("Helper", "Main"), template.functionIds());
        assertEquals("example.Helper::handle", template.functionHandler("Helper"));
        assertEquals("example.Global::handle", template.functionHandler("Main"), "from Globals.Function");
        assertEquals("AWS::SNS::Topic", template.resource("Topic").get("Type"));
        assertTrue(template.parameters().containsKey("Stage"));
        assertTrue(template.resources().containsKey("Queue"));
        assertTrue(template.root().containsKey("Globals"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> template.resource("Nope"));
        assertTrue(missing.getMessage().contains("Nope"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> template.functionHandler("Topic"));
    }

    @Test
    void environmentResolvesWithDefaults() throws IOException {
        CloudFormationTemplate template = load(TEMPLATE);
        Map<String, String> env = template.functionEnvironment("Main", Map.of("Required", "x"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("FROM_GLOBALS", "global");
        expected.put("OVERRIDDEN", "own");
        expected.put("STAGE", "dev");
        expected.put("REQUIRED", "x");
        expected.put("NAMES", "a,b,c");
        expected.put("COUNT", "3");
        expected.put("REGION", "us-east-1");
        expected.put("ACCOUNT", "123456789012");
        expected.put("STACK", "tidewatch");
        expected.put("PARTITION", "aws");
        expected.put("TOPIC", "arn:aws:sns:us-east-1:123456789012:Topic");
        expected.put("QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/Queue");
        expected.put("QUEUE_ARN", "arn:aws:sqs:us-east-1:123456789012:Queue");
        expected.put("QUEUE_ARN_LONG", "arn:aws:sqs:us-east-1:123456789012:Queue");
        expected.put("QUEUE_NAME", "Queue");
        expected.put("RULE_ARN", "arn:aws:events:us-east-1:123456789012:rule/Rule");
        expected.put("HELPER", "Helper");
        expected.put("OTHER", "the-other-one");
        expected.put("HELPER_ALIAS", "arn:aws:lambda:us-east-1:123456789012:function:Helper:live");
        expected.put("HELPER_ALIAS_DOT", "arn:aws:lambda:us-east-1:123456789012:function:Helper:live");
        expected.put("HELPER_ARN", "arn:aws:lambda:us-east-1:123456789012:function:Helper");
        expected.put("SUB", "tidewatch-dev-arn:aws:sns:us-east-1:123456789012:Topic-arn:aws:sqs:us-east-1:123456789012:Queue-${Literal}");
        expected.put("SUB_VARS", "a/dev");
        expected.put("JOINED", "x+dev+c");
        expected.put("SPLIT", "two");
        expected.put("IF", "development");
        expected.put("IF_LONG", "yes-or");
        expected.put("AND", "not-both");
        expected.put("MAPPED", "256");
        expected.put("ENCODED", "aGVsbG8=");
        expected.put("LITERAL", "42");
        expected.put("FLAG", "true");
        assertEquals(expected, env, "DROPPED is AWS::NoValue in dev, so it is absent");
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(env.keySet()), "globals first, in template order");
    }

    @Test
    void environmentResolvesWithOverrides() throws IOException {
        CloudFormationTemplate template = load(TEMPLATE);
        Map<String, String> env = template.functionEnvironment("Main",
                Map.of("Required", "x", "Stage", "prod", "Names", "p,q,r", "Count", "4"));
        assertEquals("prod", env.get("STAGE"));
        assertEquals("p,q,r", env.get("NAMES"));
        assertEquals("production", env.get("IF"));
        assertEquals("yes-or", env.get("IF_LONG"));
        assertEquals("not-both", env.get("AND"));
        assertEquals("kept", env.get("DROPPED"));
        assertEquals("1024", env.get("MAPPED"));
        assertEquals("x+prod+r", env.get("JOINED"));
        assertEquals("p/prod", env.get("SUB_VARS"));
        assertEquals("both", template.functionEnvironment("Main",
                Map.of("Required", "x", "Stage", "prod")).get("AND"));
    }

    @Test
    void conditionsEvaluateWithTheParameterValues() throws IOException {
        CloudFormationTemplate template = load(TEMPLATE);
        assertFalse(template.condition("IsProd", Map.of()));
        assertTrue(template.condition("IsProd", Map.of("Stage", "prod")));
        assertTrue(template.condition("NotProd", Map.of()));
        assertTrue(template.condition("ProdOrThree", Map.of()));
        assertFalse(template.condition("ProdOrThree", Map.of("Count", "2")));
        assertTrue(template.condition("HasSecondName", Map.of()));
        assertFalse(template.condition("HasSecondName", Map.of("Names", "only")));
        assertThrows(IllegalArgumentException.class, () -> template.condition("Nope", Map.of()));
    }

    @Test
    void anUnresolvableValueNamesTheFunctionAndTheVariable() throws IOException {
        CloudFormationTemplate template = load(TEMPLATE);
        IllegalStateException noValue = assertThrows(IllegalStateException.class,
                () -> template.functionEnvironment("Main", Map.of()));
        assertTrue(noValue.getMessage().contains("Main") && noValue.getMessage().contains("REQUIRED")
                && noValue.getMessage().contains("Required"), noValue.getMessage());

        CloudFormationTemplate broken = load(TEMPLATE.replace("LITERAL: 42", "LITERAL: !Ref Missing"));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> broken.functionEnvironment("Main", Map.of("Required", "x")));
        assertTrue(missing.getMessage().contains("Main") && missing.getMessage().contains("LITERAL")
                && missing.getMessage().contains("Missing"), missing.getMessage());

        CloudFormationTemplate conditional = load(TEMPLATE.replace("LITERAL: 42", "LITERAL: !Ref ProdOnlyQueue"));
        IllegalStateException notCreated = assertThrows(IllegalStateException.class,
                () -> conditional.functionEnvironment("Main", Map.of("Required", "x")));
        assertTrue(notCreated.getMessage().contains("LITERAL") && notCreated.getMessage().contains("ProdOnlyQueue"),
                notCreated.getMessage());
        assertTrue(conditional.functionEnvironment("Main", Map.of("Required", "x", "Stage", "prod"))
                .get("LITERAL").endsWith("/ProdOnlyQueue"));

        CloudFormationTemplate imported = load(TEMPLATE.replace("LITERAL: 42", "LITERAL: !ImportValue shared"));
        IllegalStateException importError = assertThrows(IllegalStateException.class,
                () -> imported.functionEnvironment("Main", Map.of("Required", "x")));
        assertTrue(importError.getMessage().contains("LITERAL"), importError.getMessage());

        CloudFormationTemplate outOfRange = load(TEMPLATE.replace("LITERAL: 42", "LITERAL: !Select [5, !Ref Names]"));
        assertThrows(IllegalStateException.class, () -> outOfRange.functionEnvironment("Main", Map.of("Required", "x")));
    }

    @Test
    void wrongParameterOverridesAreRejected() throws IOException {
        CloudFormationTemplate template = load(TEMPLATE);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> template.functionEnvironment("Main", Map.of("Required", "x", "Stag", "prod")));
        assertTrue(unknown.getMessage().contains("Stag"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> template.functionEnvironment("Main", Map.of("Required", "x", "Stage", "staging")));
        assertThrows(IllegalArgumentException.class, () -> template.functionEnvironment("Topic", Map.of()));
    }
}
