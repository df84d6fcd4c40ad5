package tidewatch.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A CloudFormation/SAM template read the way CloudFormation reads it: every short-form tag ({@code !Ref}, {@code !Sub},
 * ...) becomes its long form ({@code {"Ref": x}}, {@code {"Fn::Sub": ...}}), and function environments are resolved to
 * the strings a deployed function would see, with deterministic placeholders for values only a deployment knows
 * (ARNs, queue URLs). Shared by the local runner and the template tests; test scope only.
 */
public final class CloudFormationTemplate {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    public static final String STACK_NAME = "tidewatch";
    public static final String PARTITION = "aws";

    private static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";
    private static final Map<String, String> SHORT_FORMS = shortForms();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    /** Stands for AWS::NoValue while resolving: removed from the list or map that holds it. */
    private static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private final Path file;
    private final Map<String, Object> root;

    private CloudFormationTemplate(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    public static CloudFormationTemplate load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + file, e);
        }
        Object parsed;
        try {
            parsed = new Yaml(new CloudFormationConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("template " + file + " is not valid CloudFormation YAML: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("template " + file + " is not a YAML mapping");
        }
        return new CloudFormationTemplate(file, stringKeys(map, "template root"));
    }

    public Map<String, Object> root() {
        return root;
    }

    public Map<String, Object> resources() {
        return section("Resources");
    }

    public Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template " + file + " has no resource '" + logicalId + "'");
        }
        return stringKeys(resource, "resource " + logicalId);
    }

    public Map<String, Object> parameters() {
        return section("Parameters");
    }

    /** Logical ids of the AWS::Serverless::Function resources, in template order. */
    public List<String> functionIds() {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, Object> entry : resources().entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> resource && SERVERLESS_FUNCTION.equals(resource.get("Type"))) {
                ids.add(entry.getKey());
            }
        }
        return List.copyOf(ids);
    }

    /** The Handler of the function, or of Globals.Function when the function has none. */
    public String functionHandler(String logicalId) {
        Object handler = functionProperty(logicalId, "Handler");
        if (!(handler instanceof String text) || text.isBlank()) {
            throw new IllegalStateException("function " + logicalId + " has no Handler (neither its own nor in Globals.Function)");
        }
        return text;
    }

    /** A whole-number property of the function (MemorySize, Timeout), or of Globals.Function, or the fallback. */
    public int functionNumber(String logicalId, String property, int fallback) {
        return functionProperty(logicalId, property) instanceof Number number ? number.intValue() : fallback;
    }

    /**
     * The environment the function would get: Globals.Function.Environment.Variables with the function's own variables
     * over them, each value resolved with the given parameter values (a parameter not given takes its Default).
     */
    public Map<String, String> functionEnvironment(String logicalId, Map<String, String> parameterOverrides) {
        requireFunction(logicalId);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.putAll(environmentVariables(globalFunction(), "Globals.Function"));
        variables.putAll(environmentVariables(properties(resource(logicalId), logicalId), logicalId));
        Resolver resolver = new Resolver(parameterValues(parameterOverrides));
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map.Entry<String, Object> variable : variables.entrySet()) {
            try {
                Object value = resolver.resolve(variable.getValue());
                if (value != NO_VALUE) {
                    environment.put(variable.getKey(), scalarText(value));
                }
            } catch (Unresolvable e) {
                throw new IllegalStateException("function " + logicalId + ", environment variable " + variable.getKey()
                        + ": " + e.getMessage(), e);
            }
        }
        return Collections.unmodifiableMap(environment);
    }

    /**
     * The variables of a function's environment whose value only a deployment knows, each with where it came from:
     * a resource of the template ({@code "resource NotificationTopic"}: its placeholder ARN or name), the account id,
     * or one of the {@code standIns} parameters ({@code "parameter VpnConnectionId1"}). What {@code --aws} refuses
     * to run with.
     */
    public Map<String, List<String>> placeholderVariables(String logicalId, Map<String, String> parameterOverrides, Set<String> standIns) {
        requireFunction(logicalId);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.putAll(environmentVariables(globalFunction(), "Globals.Function"));
        variables.putAll(environmentVariables(properties(resource(logicalId), logicalId), logicalId));
        Map<String, List<String>> placeholders = new LinkedHashMap<>();
        for (Map.Entry<String, Object> variable : variables.entrySet()) {
            Resolver resolver = new Resolver(parameterValues(parameterOverrides));
            if (resolver.resolve(variable.getValue()) == NO_VALUE) {
                continue;
            }
            List<String> sources = resolver.sources.stream()
                    .filter(source -> !source.startsWith("parameter ") || standIns.contains(source.substring("parameter ".length())))
                    .toList();
            if (!sources.isEmpty()) {
                placeholders.put(variable.getKey(), sources);
            }
        }
        return placeholders;
    }

    /** Evaluates a condition of the Conditions section with the given parameter values. */
    public boolean condition(String name, Map<String, String> parameterOverrides) {
        if (!section("Conditions").containsKey(name)) {
            throw new IllegalArgumentException("template " + file + " has no condition '" + name + "'");
        }
        try {
            return new Resolver(parameterValues(parameterOverrides)).namedCondition(name);
        } catch (Unresolvable e) {
            throw new IllegalStateException("condition " + name + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Map<String, Object> section(String name) {
        Object section = root.get(name);
        return section == null ? Map.of() : stringKeys(section, name);
    }

    private Map<String, Object> globalFunction() {
        Object globals = root.get("Globals");
        if (globals instanceof Map<?, ?> map && map.get("Function") instanceof Map<?, ?> function) {
            return stringKeys(function, "Globals.Function");
        }
        return Map.of();
    }

    private void requireFunction(String logicalId) {
        Object type = resource(logicalId).get("Type");
        if (!SERVERLESS_FUNCTION.equals(type)) {
            throw new IllegalArgumentException("resource '" + logicalId + "' is a " + type + ", not an " + SERVERLESS_FUNCTION);
        }
    }

    private Object functionProperty(String logicalId, String property) {
        requireFunction(logicalId);
        Object own = properties(resource(logicalId), logicalId).get(property);
        return own != null ? own : globalFunction().get(property);
    }

    private static Map<String, Object> properties(Map<String, Object> resource, String logicalId) {
        Object properties = resource.get("Properties");
        return properties == null ? Map.of() : stringKeys(properties, logicalId + ".Properties");
    }

    private static Map<String, Object> environmentVariables(Map<String, Object> properties, String where) {
        if (properties.get("Environment") instanceof Map<?, ?> environment && environment.get("Variables") != null) {
            return stringKeys(environment.get("Variables"), where + ".Environment.Variables");
        }
        return Map.of();
    }

    /** Every parameter's value: the override, else the Default, else absent (an error only when something uses it). */
    private Map<String, String> parameterValues(Map<String, String> overrides) {
        Map<String, Object> parameters = parameters();
        for (String name : overrides.keySet()) {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("parameter override '" + name + "' names no parameter of template " + file);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : parameters.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> definition = stringKeys(entry.getValue(), "parameter " + name);
            String value = overrides.get(name);
            if (value != null) {
                checkAllowed(name, definition, value);
            } else if (definition.containsKey("Default")) {
                Object fallback = definition.get("Default");
                value = fallback instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                        : scalarText(fallback);
            }
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    private static void checkAllowed(String name, Map<String, Object> definition, String value) {
        if (definition.get("AllowedValues") instanceof List<?> allowed
                && allowed.stream().map(CloudFormationTemplate::scalarText).noneMatch(value::equals)) {
            throw new IllegalArgumentException("parameter " + name + "='" + value + "' is not one of " + allowed);
        }
        if (definition.get("AllowedPattern") instanceof String pattern && "String".equals(definition.get("Type"))
                && !Pattern.compile(pattern).matcher(value).matches()) {
            throw new IllegalArgumentException("parameter " + name + "='" + value + "' does not match " + pattern);
        }
    }

    private static boolean isListParameter(Map<String, Object> definition) {
        Object type = definition.get("Type");
        return "CommaDelimitedList".equals(type) || (type instanceof String s && s.startsWith("List<"));
    }

    private static String scalarText(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof CommaList list) {
            return list.raw();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        if (value == null) {
            return "";
        }
        throw new Unresolvable("expected a string but the value is " + describe(value));
    }

    private static String describe(Object value) {
        if (value instanceof List<?>) {
            return "a list " + value;
        }
        if (value instanceof Map<?, ?>) {
            return "a map " + value;
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + " is not a mapping: " + value);
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException(where + " has a key that is not a string: " + key);
            }
        }
        return (Map<String, Object>) map;
    }

    /** A CommaDelimitedList (or List<...>) parameter: a list to Join and Select, its raw text where a string is used. */
    private record CommaList(String raw) {
        List<String> items() {
            return List.of(raw.split(",", -1));
        }
    }

    private static final class Unresolvable extends RuntimeException {
        Unresolvable(String message) {
            super(message);
        }
    }

    /** Evaluates intrinsic functions the way CloudFormation would, with placeholders for deployment-time values. */
    private final class Resolver {
        private final Map<String, String> parameterValues;
        private final Map<String, Boolean> conditions = new LinkedHashMap<>();
        private final Set<String> evaluating = new HashSet<>();
        /** What the values resolved so far came from: "resource ID", "parameter NAME", "pseudo parameter AWS::...". */
        final Set<String> sources = new java.util.LinkedHashSet<>();

        Resolver(Map<String, String> parameterValues) {
            this.parameterValues = parameterValues;
        }

        Object resolve(Object value) {
            if (value instanceof List<?> list) {
                List<Object> resolved = new ArrayList<>();
                for (Object item : list) {
                    Object result = resolve(item);
                    if (result != NO_VALUE) {
                        resolved.add(result);
                    }
                }
                return resolved;
            }
            if (value instanceof Map<?, ?> map) {
                if (map.size() == 1) {
                    Map.Entry<?, ?> only = map.entrySet().iterator().next();
                    if (only.getKey() instanceof String name && (name.equals("Ref") || name.equals("Condition") || name.startsWith("Fn::"))) {
                        return intrinsic(name, only.getValue());
                    }
                }
                Map<String, Object> resolved = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    Object result = resolve(entry.getValue());
                    if (result != NO_VALUE) {
                        resolved.put(String.valueOf(entry.getKey()), result);
                    }
                }
                return resolved;
            }
            return value;
        }

        private Object intrinsic(String name, Object argument) {
            return switch (name) {
                case "Ref" -> ref(text(argument, "Ref"));
                case "Condition" -> namedCondition(text(argument, "Condition"));
                case "Fn::GetAtt" -> getAtt(argument);
                case "Fn::Sub" -> sub(argument);
                case "Fn::If" -> fnIf(argument);
                case "Fn::Equals" -> {
                    List<?> operands = arguments(argument, name, 2);
                    yield scalarText(resolve(operands.get(0))).equals(scalarText(resolve(operands.get(1))));
                }
                case "Fn::Not" -> !truth(resolve(arguments(argument, name, 1).get(0)), name);
                case "Fn::And" -> {
                    boolean result = true;
                    for (Object operand : arguments(argument, name, -1)) {
                        result &= truth(resolve(operand), name);
                    }
                    yield result;
                }
                case "Fn::Or" -> {
                    boolean result = false;
                    for (Object operand : arguments(argument, name, -1)) {
                        result |= truth(resolve(operand), name);
                    }
                    yield result;
                }
                case "Fn::Join" -> {
                    List<?> operands = arguments(argument, name, 2);
                    String delimiter = scalarText(resolve(operands.get(0)));
                    yield String.join(delimiter, items(resolve(operands.get(1)), name).stream()
                            .map(CloudFormationTemplate::scalarText).toList());
                }
                case "Fn::Select" -> {
                    List<?> operands = arguments(argument, name, 2);
                    String indexText = scalarText(resolve(operands.get(0)));
                    List<?> items = items(resolve(operands.get(1)), name);
                    int index;
                    try {
                        index = Integer.parseInt(indexText.trim());
                    } catch (NumberFormatException e) {
                        throw new Unresolvable("Fn::Select index '" + indexText + "' is not a number");
                    }
                    if (index < 0 || index >= items.size()) {
                        throw new Unresolvable("Fn::Select index " + index + " is outside the list " + items);
                    }
                    yield items.get(index);
                }
                case "Fn::Split" -> {
                    List<?> operands = arguments(argument, name, 2);
                    String delimiter = scalarText(resolve(operands.get(0)));
                    String source = scalarText(resolve(operands.get(1)));
                    yield List.of(source.split(Pattern.quote(delimiter), -1));
                }
                case "Fn::FindInMap" -> findInMap(arguments(argument, name, 3));
                case "Fn::Base64" -> Base64.getEncoder().encodeToString(
                        scalarText(resolve(argument)).getBytes(StandardCharsets.UTF_8));
                case "Fn::GetAZs" -> List.of(REGION + "a", REGION + "b", REGION + "c");
                default -> throw new Unresolvable(name + " cannot be resolved without a deployment");
            };
        }

        boolean namedCondition(String name) {
            Boolean known = conditions.get(name);
            if (known != null) {
                return known;
            }
            Object definition = section("Conditions").get(name);
            if (definition == null) {
                throw new Unresolvable("no condition named '" + name + "'");
            }
            if (!evaluating.add(name)) {
                throw new Unresolvable("condition '" + name + "' refers to itself");
            }
            try {
                boolean result = truth(resolve(definition), "condition " + name);
                conditions.put(name, result);
                return result;
            } finally {
                evaluating.remove(name);
            }
        }

        private Object fnIf(Object argument) {
            List<?> operands = arguments(argument, "Fn::If", 3);
            return namedCondition(text(operands.get(0), "Fn::If condition"))
                    ? resolve(operands.get(1)) : resolve(operands.get(2));
        }

        private Object ref(String name) {
            if (name.equals("AWS::AccountId") || name.equals("AWS::StackId")) {
                sources.add("pseudo parameter " + name);
            } else if (parameters().containsKey(name)) {
                sources.add("parameter " + name);
            } else if (!name.startsWith("AWS::")) {
                sources.add("resource " + name);
            }
            switch (name) {
                case "AWS::NoValue":
                    return NO_VALUE;
                case "AWS::Region":
                    return REGION;
                case "AWS::AccountId":
                    return ACCOUNT_ID;
                case "AWS::StackName":
                    return STACK_NAME;
                case "AWS::Partition":
                    return PARTITION;
                case "AWS::URLSuffix":
                    return "amazonaws.com";
                case "AWS::StackId":
                    return "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/" + STACK_NAME
                            + "/00000000-0000-0000-0000-000000000000";
                case "AWS::NotificationARNs":
                    return List.of();
                default:
                    break;
            }
            Map<String, Object> parameters = parameters();
            if (parameters.containsKey(name)) {
                String value = parameterValues.get(name);
                if (value == null) {
                    throw new Unresolvable("parameter " + name + " has no Default and no value was given");
                }
                return isListParameter(stringKeys(parameters.get(name), "parameter " + name)) ? new CommaList(value) : value;
            }
            String aliasArn = samAliasArn(name);
            if (aliasArn != null) {
                return aliasArn;
            }
            Map<String, Object> resource = existingResource(name);
            String type = String.valueOf(resource.get("Type"));
            return switch (type) {
                case "AWS::SNS::Topic" -> arn("sns", name);
                case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT_ID + "/" + name;
                case SERVERLESS_FUNCTION, "AWS::Lambda::Function" -> functionName(name, resource);
                default -> name;
            };
        }

        private Object getAtt(Object argument) {
            List<?> operands = arguments(argument, "Fn::GetAtt", 2);
            String logicalId = text(resolve(operands.get(0)), "Fn::GetAtt resource");
            String attribute = text(resolve(operands.get(1)), "Fn::GetAtt attribute");
            return attribute(logicalId, attribute);
        }

        private String attribute(String logicalId, String attribute) {
            sources.add("resource " + logicalId);
            Map<String, Object> resource = existingResource(logicalId);
            String type = String.valueOf(resource.get("Type"));
            boolean arnAttribute = attribute.equals("Arn");
            switch (type) {
                case "AWS::SNS::Topic":
                    if (attribute.equals("TopicArn")) {
                        return arn("sns", logicalId);
                    }
                    if (attribute.equals("TopicName")) {
                        return logicalId;
                    }
                    break;
                case "AWS::SQS::Queue":
                    if (arnAttribute) {
                        return arn("sqs", logicalId);
                    }
                    if (attribute.equals("QueueUrl")) {
                        return "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT_ID + "/" + logicalId;
                    }
                    if (attribute.equals("QueueName")) {
                        return logicalId;
                    }
                    break;
                case SERVERLESS_FUNCTION:
                case "AWS::Lambda::Function":
                    if (arnAttribute) {
                        return arn("lambda", "function:" + logicalId);
                    }
                    break;
                case "AWS::Events::Rule":
                    if (arnAttribute) {
                        return arn("events", "rule/" + logicalId);
                    }
                    break;
                case "AWS::Logs::LogGroup":
                    if (arnAttribute) {
                        return arn("logs", "log-group:" + logicalId + ":*");
                    }
                    break;
                case "AWS::KMS::Key":
                    if (arnAttribute) {
                        return arn("kms", "key/" + logicalId);
                    }
                    break;
                case "AWS::IAM::Role":
                    if (arnAttribute) {
                        return "arn:" + PARTITION + ":iam::" + ACCOUNT_ID + ":role/" + logicalId;
                    }
                    break;
                case "AWS::CloudWatch::Alarm":
                    if (arnAttribute) {
                        return arn("cloudwatch", "alarm:" + logicalId);
                    }
                    break;
                default:
                    if (arnAttribute) {
                        String[] parts = type.split("::");
                        String service = parts.length > 1 ? parts[1].toLowerCase(java.util.Locale.ROOT) : "unknown";
                        return arn(service, logicalId);
                    }
            }
            return logicalId + "." + attribute;
        }

        private String sub(Object argument) {
            String template;
            Map<String, Object> variables = Map.of();
            if (argument instanceof String text) {
                template = text;
            } else if (argument instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String text) {
                template = text;
                variables = stringKeys(list.get(1), "Fn::Sub variables");
            } else {
                throw new Unresolvable("Fn::Sub takes a string or [string, {variables}], not " + describe(argument));
            }
            Matcher matcher = SUB_VARIABLE.matcher(template);
            StringBuilder result = new StringBuilder();
            while (matcher.find()) {
                String name = matcher.group(1).trim();
                String replacement;
                if (name.startsWith("!")) {
                    replacement = "${" + name.substring(1) + "}";
                } else if (variables.containsKey(name)) {
                    replacement = scalarText(resolve(variables.get(name)));
                } else if (name.contains(".") && !name.startsWith("AWS::")) {
                    int dot = name.indexOf('.');
                    replacement = attribute(name.substring(0, dot), name.substring(dot + 1));
                } else {
                    Object value = ref(name);
                    if (value == NO_VALUE) {
                        throw new Unresolvable("Fn::Sub cannot use AWS::NoValue");
                    }
                    replacement = scalarText(value);
                }
                matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
            }
            matcher.appendTail(result);
            return result.toString();
        }

        private Object findInMap(List<?> operands) {
            String map = scalarText(resolve(operands.get(0)));
            String top = scalarText(resolve(operands.get(1)));
            String second = scalarText(resolve(operands.get(2)));
            Object mapping = section("Mappings").get(map);
            if (mapping instanceof Map<?, ?> m && m.get(top) instanceof Map<?, ?> level && level.containsKey(second)) {
                return resolve(level.get(second));
            }
            throw new Unresolvable("Fn::FindInMap found nothing at " + map + "/" + top + "/" + second);
        }

        /** The ARN placeholder of a SAM-generated alias: "<Function>Alias<name>" or "<Function>.Alias". */
        private String samAliasArn(String name) {
            for (String functionId : functionIds()) {
                Object alias = functionProperty(functionId, "AutoPublishAlias");
                if (alias instanceof String aliasName
                        && (name.equals(functionId + "Alias" + aliasName) || name.equals(functionId + ".Alias"))) {
                    requireResourceCondition(functionId, stringKeys(resources().get(functionId), functionId));
                    return arn("lambda", "function:" + functionId + ":" + aliasName);
                }
            }
            return null;
        }

        private Map<String, Object> existingResource(String logicalId) {
            Object resource = resources().get(logicalId);
            if (resource == null) {
                throw new Unresolvable("'" + logicalId + "' is neither a parameter, a pseudo parameter nor a resource");
            }
            Map<String, Object> map = stringKeys(resource, "resource " + logicalId);
            requireResourceCondition(logicalId, map);
            return map;
        }

        private void requireResourceCondition(String logicalId, Map<String, Object> resource) {
            if (resource.get("Condition") instanceof String condition && !namedCondition(condition)) {
                throw new Unresolvable("resource " + logicalId + " is not created: its condition " + condition + " is false");
            }
        }

        private String functionName(String logicalId, Map<String, Object> resource) {
            Object name = properties(resource, logicalId).get("FunctionName");
            return name == null ? logicalId : scalarText(resolve(name));
        }

        private List<?> items(Object value, String function) {
            if (value instanceof CommaList list) {
                return list.items();
            }
            if (value instanceof List<?> list) {
                return list;
            }
            throw new Unresolvable(function + " needs a list, not " + describe(value));
        }

        private List<?> arguments(Object argument, String function, int count) {
            if (!(argument instanceof List<?> list) || (count >= 0 && list.size() != count)) {
                throw new Unresolvable(function + " takes " + (count >= 0 ? count + " arguments" : "a list")
                        + ", not " + describe(argument));
            }
            return list;
        }

        private boolean truth(Object value, String where) {
            if (value instanceof Boolean bool) {
                return bool;
            }
            if ("true".equals(value) || "false".equals(value)) {
                return Boolean.parseBoolean((String) value);
            }
            throw new Unresolvable(where + " needs a true/false value, not " + describe(value));
        }

        private String text(Object value, String where) {
            if (value instanceof String text) {
                return text;
            }
            throw new Unresolvable(where + " needs a name, not " + describe(value));
        }

        private String arn(String service, String resource) {
            return "arn:" + PARTITION + ":" + service + ":" + REGION + ":" + ACCOUNT_ID + ":" + resource;
        }
    }

    private static Map<String, String> shortForms() {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("!Ref", "Ref");
        forms.put("!Condition", "Condition");
        for (String function : List.of("Sub", "GetAtt", "If", "Equals", "Not", "And", "Or", "Join", "Select", "Split",
                "FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs", "Transform", "Length", "ToJsonString")) {
            forms.put("!" + function, "Fn::" + function);
        }
        return Collections.unmodifiableMap(forms);
    }

    /** SnakeYAML's safe constructor plus one constructor per CloudFormation short-form tag. */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            for (Map.Entry<String, String> form : SHORT_FORMS.entrySet()) {
                yamlConstructors.put(new Tag(form.getKey()), new LongForm(form.getValue()));
            }
        }

        private final class LongForm extends AbstractConstruct {
            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                if (key.equals("Fn::GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    if (dot <= 0 || dot == dotted.length() - 1) {
                        throw new YAMLException("!GetAtt needs Resource.Attribute, not '" + dotted + "'");
                    }
                    value = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                Map<String, Object> longForm = new LinkedHashMap<>();
                longForm.put(key, value);
                return longForm;
            }
        }
    }
}
