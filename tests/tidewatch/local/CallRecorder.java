package tidewatch.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import tidewatch.json.Json;

/**
 * Records every SDK request a function sends, for the local runner's report when there is no sandbox to record them
 * ({@code --aws}). The SDK loads it for every client from the test classpath's
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, so it never ships; it does nothing unless
 * {@code TIDEWATCH_CALLS_FILE} names the file to append to. Parameters carry the SDK model's member names.
 */
public final class CallRecorder implements ExecutionInterceptor {
    static final String CALLS_FILE = "TIDEWATCH_CALLS_FILE";

    private final Path file;

    /** The form the SDK instantiates: on only when the environment names a file. */
    public CallRecorder() {
        this(System.getenv(CALLS_FILE) == null ? null : Path.of(System.getenv(CALLS_FILE)));
    }

    CallRecorder(Path file) {
        this.file = file;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (file == null) {
            return;
        }
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("service", Sandbox.signingService(context.httpRequest().firstMatchingHeader("Authorization").orElse(null),
                String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))));
        call.put("operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        call.put("params", value(context.request()));
        synchronized (CallRecorder.class) {
            try {
                Files.writeString(file, Json.write(call) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record a call to " + file, e);
            }
        }
    }

    /** A request as plain JSON values, named by the model's members; unset members are left out. */
    static Object value(Object value) {
        if (value instanceof SdkPojo pojo) {
            Map<String, Object> members = new LinkedHashMap<>();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object member = value(field.getValueOrDefault(pojo));
                if (member != null && !(member instanceof Collection<?> c && c.isEmpty()) && !(member instanceof Map<?, ?> m && m.isEmpty())) {
                    members.put(field.memberName(), member);
                }
            }
            return members;
        }
        if (value instanceof Collection<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(item -> list.add(value(item)));
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), value(v)));
            return copy;
        }
        if (value instanceof SdkBytes bytes) {
            String text = bytes.asUtf8String();
            try {
                return Json.parse(text);
            } catch (RuntimeException notJson) {
                return text;
            }
        }
        if (value instanceof Instant || value instanceof Enum<?>) {
            return value.toString();
        }
        return value;
    }
}
