package tidewatch.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tidewatch.json.Json;

/**
 * The child JVM of a local invocation, standing in for the Lambda Java runtime: it reads the environment the runner
 * set from the template, creates the handler with its no-arg constructor (init), then invokes it once. A stream
 * handler gets the event's bytes; a POJO handler gets the event deserialized by aws-lambda-java-serialization, as
 * the runtime does. The outcome goes to the result file; standard output carries the function's log.
 */
public final class LambdaBootstrap {
    static final String HANDLER = "TIDEWATCH_HANDLER";
    static final String EVENT_FILE = "TIDEWATCH_EVENT_FILE";
    static final String RESULT_FILE = "TIDEWATCH_RESULT_FILE";
    static final String MEMORY = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    static final String TIMEOUT = "TIDEWATCH_TIMEOUT_SECONDS";

    private LambdaBootstrap() {}

    public static void main(String[] args) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            byte[] event = Files.readAllBytes(Path.of(System.getenv(EVENT_FILE)));
            LocalContext context = new LocalContext(System.getenv("AWS_LAMBDA_FUNCTION_NAME"),
                    Integer.parseInt(System.getenv().getOrDefault(MEMORY, "512")),
                    Integer.parseInt(System.getenv().getOrDefault(TIMEOUT, "30")));
            result.put("output", invoke(System.getenv(HANDLER), event, context));
            result.put("error", null);
        } catch (InvocationTargetException e) {
            result.put("output", null);
            result.put("error", describe(e.getCause()));
        } catch (Throwable e) {
            result.put("output", null);
            result.put("error", describe(e));
        }
        Files.writeString(Path.of(System.getenv(RESULT_FILE)), Json.write(result), StandardCharsets.UTF_8);
        System.out.flush();
        System.exit(0);
    }

    /** Init then one invocation; returns the handler's output as JSON, or as text when it is not JSON. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object invoke(String handler, byte[] event, LocalContext context) throws Exception {
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        Class<?> type = Class.forName(className);
        Object instance;
        try {
            instance = type.getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("init failed: " + describe(e.getCause()), e.getCause());
        }
        byte[] output;
        if (instance instanceof RequestStreamHandler streamHandler) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                streamHandler.handleRequest(new ByteArrayInputStream(event), out, context);
            } catch (RuntimeException | java.io.IOException e) {
                throw new InvocationTargetException(e);
            }
            output = out.toByteArray();
        } else if (instance instanceof RequestHandler pojoHandler) {
            Class<?> inputType = inputType(type);
            Object input = LambdaEventSerializers.serializerFor(inputType, ClassLoader.getSystemClassLoader())
                    .fromJson(new ByteArrayInputStream(event));
            Object returned;
            try {
                returned = pojoHandler.handleRequest(input, context);
            } catch (RuntimeException e) {
                throw new InvocationTargetException(e);
            }
            if (returned == null) {
                return null;
            }
            PojoSerializer serializer = LambdaEventSerializers.serializerFor(returned.getClass(), ClassLoader.getSystemClassLoader());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            serializer.toJson(returned, out);
            output = out.toByteArray();
        } else {
            throw new IllegalArgumentException(className + " implements neither RequestStreamHandler nor RequestHandler");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (RuntimeException notJson) {
            return text;
        }
    }

    private static Class<?> inputType(Class<?> handlerType) {
        for (Type candidate : handlerType.getGenericInterfaces()) {
            if (candidate instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class
                    && parameterized.getActualTypeArguments()[0] instanceof Class<?> input) {
                return input;
            }
        }
        return Object.class;
    }

    static String describe(Throwable error) {
        return error.getClass().getName() + ": " + error.getMessage();
    }
}
