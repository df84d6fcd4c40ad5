package tidewatch.notify;

import java.util.List;
import java.util.Objects;
import tidewatch.text.Redaction;

/**
 * What Tidewatch tells people, independent of any channel. Text here is untrusted (it may quote container reasons or
 * log lines); each channel escapes and truncates it for its own format.
 *
 * <p>These constructors are the one place where credentials are masked ({@link Redaction}): every channel renders
 * from these records, so nothing that reaches Slack, SNS or a report has skipped it.
 *
 * @param key    stable identity of what the message is about (for example "ecs/prod/service:web/crash"), for
 *               grouping and de-duplication by people and tools downstream
 * @param source which function produced it ("ecs", "vpn-alarm", "vpn-keepalive"): the SNS attribute `source`
 */
public record Message(
        String title,
        Severity severity,
        String summary,
        List<Field> fields,
        List<Link> links,
        Evidence evidence,
        String key,
        String source) {

    public Message {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        title = Redaction.redact(title);
        key = Redaction.redact(key);
        source = Redaction.redact(source);
        summary = Redaction.redact(summary);
        fields = fields == null ? List.of() : List.copyOf(fields);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** The same message with one more field, after the others. */
    public Message withField(Field field) {
        List<Field> more = new java.util.ArrayList<>(fields);
        more.add(field);
        return new Message(title, severity, summary, more, links, evidence, key, source);
    }

    /** A key fact, shown as "name: value". */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name, "name");
            name = Redaction.redact(name);
            value = Redaction.redact(value);
        }
    }

    /** A deep link, typically into the AWS console. */
    public record Link(String label, String url) {
        public Link {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(url, "url");
            label = Redaction.redact(label);
            url = Redaction.redact(url);
        }
    }

    /** Raw supporting text, such as the last log lines of a crashed container. */
    public record Evidence(String title, List<String> lines) {
        public Evidence {
            Objects.requireNonNull(title, "title");
            title = Redaction.redact(title);
            lines = lines == null ? List.of() : List.copyOf(Redaction.redactLines(lines));
        }
    }
}
