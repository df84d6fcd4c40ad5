package tidewatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RedactionTest {

    /** Real-shaped secrets (AWS's documented example keys, Slack's example shapes) and what stays of each line. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "using key AKIAIOSFODNN7EXAMPLE for s3             | using key AKIA**** for s3",
        "ASIAY34FZKBOKMUTVV7A expired                      | ASIA**** expired",
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | AWS_SECRET_ACCESS_KEY=****",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | aws_secret_access_key = ****",
        "connecting to postgres://app:pw@db.internal:5432/app | connecting to postgres://app:****@db.internal:5432/app",
        "DATABASE_URL=mysql://root:s3cr%40t@10.0.0.5/db    | DATABASE_URL=mysql://root:****@10.0.0.5/db",
        "redis://:hunter2@cache:6379                       | redis://:****@cache:6379",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x | Authorization: Bearer ****",
        "Authorization: Basic YWRtaW46cGFzc3dvcmQ=         | Authorization: Basic ****",
        "curl -H 'Authorization: basic dXNlcjpwYXNz'       | curl -H 'Authorization: basic ****'",
        "posting to https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdEFGHijklMNOPqrstUVWX failed | posting to https://hooks.slack.com/services/**** failed",
        "https://hooks.slack-gov.com/services/T01/B02/XyZ  | https://hooks.slack-gov.com/services/****",
        "token xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx ok | token xoxb-**** ok",
        "app token xapp-1-A0123-456-abcdef                 | app token xapp-****",
        "login password=hunter2 user=bob                   | login password=**** user=bob",
        "DB_PASSWORD=correct-horse&next=1                  | DB_PASSWORD=****&next=1",
        "client_secret=abc123; scope=all                   | client_secret=****; scope=all",
        "api_key=0123456789abcdef                          | api_key=****",
        "{\"password\":\"p\\\"w\",\"user\":\"bob\"}        | {\"password\":\"****\",\"user\":\"bob\"}",
        "{\"SecretAccessKey\": \"wJalrXUtnFEMI\", \"SessionToken\": \"IQoJb3JpZ2luX2VjE\"} | {\"SecretAccessKey\": \"****\", \"SessionToken\": \"****\"}",
        "{'token': 'abc'}                                  | {'token': '****'}",
        "key -----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA-----END RSA PRIVATE KEY----- done | key -----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY----- done",
        "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA | -----BEGIN OPENSSH PRIVATE KEY-----****",
    })
    void masksTheSecretPartAndKeepsTheLine(String line, String expected) {
        assertEquals(expected.strip(), Redaction.redact(line.strip()));
    }

    /** Identifiers that look random but are not secrets: people need them verbatim. */
    @ParameterizedTest
    @ValueSource(strings = {
        "arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef",
        "deployed 3f786850e387550fdab836ed7e6dc881de23001b",
        "request 6f9619ff-8b86-d011-b42d-00c04fc964ff failed",
        "https://console.aws.amazon.com/ecs/v2/clusters/prod/tasks/abc?region=eu-west-1",
        "arn:aws:iam::123456789012:role/AKIAIOSFODNN7EXAMPLEROLE",
        "Essential container in task exited: OutOfMemoryError: Java heap space",
        "Basic authentication failed for user bob",
        "tokens used: 512; password policy updated",
        "vpn-0a1b2c3d4e5f67890 tunnel 203.0.113.10 DOWN",
        "https://example.com:8443/path@v2",
        "-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----",
        "",
    })
    void leavesNonSecretsAlone(String text) {
        assertEquals(text, Redaction.redact(text));
    }

    @Test
    void aPrivateKeyOverSeveralLogLinesIsMaskedLineByLine() {
        List<String> lines = List.of("loading key", "-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
                "BKcwggSjAgEAAoIBAQC7", "-----END PRIVATE KEY-----", "started");
        assertEquals(List.of("loading key", "-----BEGIN PRIVATE KEY-----", Redaction.MASK, Redaction.MASK,
                "-----END PRIVATE KEY-----", "started"), Redaction.redactLines(lines));
    }

    @Test
    void aKeyWhoseBeginIsOutOfViewIsStillMasked() {
        List<String> lines = List.of("boot", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "BKcwggSjAgEAAoIBAQC7",
                "-----END RSA PRIVATE KEY-----", "next");
        assertEquals(List.of("boot", Redaction.MASK, Redaction.MASK, "-----END RSA PRIVATE KEY-----", "next"),
                Redaction.redactLines(lines));
    }

    @Test
    void redactLinesAlsoMasksEachLine() {
        assertEquals(List.of("pw: postgres://a:****@h", ""),
                Redaction.redactLines(java.util.Arrays.asList("pw: postgres://a:b@h", null)));
    }

    /** Each hostile shape is a megabyte; a regex that backtracks on it would take minutes, not milliseconds. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "password", "://a:", "-----BEGIN ", "AKIA", "Bearer ", "basic ", "xoxb-",
        "\"password\":\"\\", "hooks.slack.com/services/", "password_", "-----BEGIN RSA PRIVATE KEY-----x"})
    void aMegabyteOfHostileTextTakesLinearTime(String unit) {
        String hostile = unit.repeat(1_000_000 / unit.length());
        String redacted = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Redaction.redact(hostile));
        assertTrue(redacted.length() > 0);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Redaction.redactLines(List.of(hostile, hostile)));
    }

    @Test
    void aMegabyteLineWithSecretsInsideKeepsItsTextAndLosesItsSecrets() {
        String line = ("x".repeat(1000) + " password=hunter2 postgres://u:pw@h AKIAIOSFODNN7EXAMPLE ").repeat(900);
        String redacted = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Redaction.redact(line));
        assertFalse(redacted.contains("hunter2") || redacted.contains(":pw@") || redacted.contains("IOSFODNN7"));
        assertTrue(redacted.contains("x".repeat(1000) + " password=**** postgres://u:****@h AKIA**** "));
    }
}
