package tidewatch.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tidewatch.local.CloudFormationTemplate;

/** The project's template.yaml and small helpers to read it. */
final class TemplateFixture {
    static final Path TEMPLATE = Path.of(System.getProperty("basedir", ".")).resolve("template.yaml");
    static final CloudFormationTemplate TPL = CloudFormationTemplate.load(TEMPLATE);
    /** The local runner's stand-ins for the parameters without a default (Metadata: Tidewatch::LocalInvoke). */
    static final Map<String, String> REQUIRED = localStandIns();
    private static final String EVALUATED = "ZzTidewatchEvaluated";

    private TemplateFixture() {}

    private static Map<String, String> localStandIns() {
        Map<String, String> standIns = new LinkedHashMap<>();
        Object parameters = at(TPL.root(), "Metadata", "Tidewatch::LocalInvoke", "Parameters");
        for (Map.Entry<String, Object> entry : map(parameters, "local stand-ins").entrySet()) {
            Object value = entry.getValue();
            standIns.put(entry.getKey(), value instanceof List<?> items
                    ? String.join(",", items.stream().map(String::valueOf).toList()) : String.valueOf(value));
        }
        return Map.copyOf(standIns);
    }

    /** The required parameters plus the given name/value pairs. */
    static Map<String, String> with(String... nameValues) {
        Map<String, String> overrides = new HashMap<>(REQUIRED);
        for (int i = 0; i < nameValues.length; i += 2) {
            overrides.put(nameValues[i], nameValues[i + 1]);
        }
        return overrides;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        assertNotNull(value, what + " is missing");
        assertInstanceOf(Map.class, value, what + " is not a mapping: " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        assertNotNull(value, what + " is missing");
        assertInstanceOf(List.class, value, what + " is not a list: " + value);
        return (List<Object>) value;
    }

    /** Walks a path of mapping keys from a value. */
    static Object at(Object value, String... keys) {
        Object current = value;
        StringBuilder path = new StringBuilder();
        for (String key : keys) {
            path.append('.').append(key);
            current = map(current, path.toString()).get(key);
        }
        return current;
    }

    static Map<String, Object> properties(String logicalId) {
        return map(TPL.resource(logicalId).get("Properties"), logicalId + ".Properties");
    }

    static Map<String, Object> globalFunction() {
        return map(at(TPL.root(), "Globals", "Function"), "Globals.Function");
    }

    /** A function property with Globals.Function merged under it the way SAM merges (maps merge, lists concatenate). */
    @SuppressWarnings("unchecked")
    static Object merged(String functionId, String property) {
        Object global = globalFunction().get(property);
        Object own = properties(functionId).get(property);
        if (global instanceof Map<?, ?> g && own instanceof Map<?, ?> o && !isIntrinsic(g) && !isIntrinsic(o)) {
            Map<String, Object> result = new LinkedHashMap<>((Map<String, Object>) g);
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) o).entrySet()) {
                Object existing = result.get(entry.getKey());
                if (existing instanceof List<?> a && entry.getValue() instanceof List<?> b) {
                    List<Object> both = new ArrayList<>(a);
                    both.addAll(b);
                    result.put(entry.getKey(), both);
                } else {
                    result.put(entry.getKey(), entry.getValue());
                }
            }
            return result;
        }
        return own != null ? own : global;
    }

    static boolean isIntrinsic(Map<?, ?> map) {
        return map.size() == 1 && map.keySet().iterator().next() instanceof String key
                && (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::"));
    }

    static Map<String, Object> ref(String name) {
        return Map.of("Ref", name);
    }

    static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    /** The resource id of {"Fn::GetAtt": [id, attribute]}, or null. */
    static String getAttTarget(Object value, String attribute) {
        if (value instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> target
                && target.size() == 2 && attribute.equals(target.get(1))) {
            return (String) target.get(0);
        }
        return null;
    }

    /** Resolves every Fn::If with the template's conditions and drops AWS::NoValue; other intrinsics stay as written. */
    static Object pick(Object value, Map<String, String> overrides) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.get("Fn::If") instanceof List<?> branches && branches.size() == 3) {
                boolean condition = TPL.condition((String) branches.get(0), overrides);
                return pick(branches.get(condition ? 1 : 2), overrides);
            }
            if (map.size() == 1 && "AWS::NoValue".equals(map.get("Ref"))) {
                return null;
            }
            Map<String, Object> result = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object picked = pick(entry.getValue(), overrides);
                if (picked != null) {
                    result.put((String) entry.getKey(), picked);
                }
            }
            return result;
        }
        if (value instanceof List<?> items) {
            List<Object> result = new ArrayList<>();
            for (Object item : items) {
                Object picked = pick(item, overrides);
                if (picked != null) {
                    result.add(picked);
                }
            }
            return result;
        }
        return value;
    }

    /** Every value a node can take, whatever the conditions: both branches of each Fn::If, AWS::NoValue dropped. */
    static List<Object> branches(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("Fn::If") instanceof List<?> branches
                && branches.size() == 3) {
            List<Object> all = new ArrayList<>(branches(branches.get(1)));
            all.addAll(branches(branches.get(2)));
            return all;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1 && "AWS::NoValue".equals(map.get("Ref"))) {
            return List.of();
        }
        return List.of(value);
    }

    /**
     * Resolves an expression to the string a deployment would see (a list is joined with commas), with
     * CloudFormationTemplate's placeholders: the expression becomes the only environment variable of an extra function
     * in a copy of the template, then {@link CloudFormationTemplate#functionEnvironment} resolves it.
     */
    static String evaluate(Object expression, Map<String, String> overrides) {
        Object value = expression instanceof List<?> ? Map.of("Fn::Join", List.of(",", expression)) : expression;
        Map<String, Object> root = new LinkedHashMap<>(TPL.root());
        Map<String, Object> resources = new LinkedHashMap<>(TPL.resources());
        resources.put(EVALUATED, Map.of("Type", "AWS::Serverless::Function", "Properties", Map.of(
                "Handler", "evaluate", "Environment", Map.of("Variables", Map.of("VALUE", value)))));
        root.put("Resources", resources);
        try {
            Path file = Files.createTempFile("tidewatch-evaluate", ".yaml");
            try {
                DumperOptions options = new DumperOptions();
                options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
                Files.writeString(file, new Yaml(options).dump(root), StandardCharsets.UTF_8);
                return CloudFormationTemplate.load(file).functionEnvironment(EVALUATED, overrides).get("VALUE");
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IAM role of a function (its Role is !GetAtt ROLE.Arn). */
    static String roleOf(String function) {
        String role = getAttTarget(properties(function).get("Role"), "Arn");
        assertNotNull(role, function + " Role is !GetAtt <Role>.Arn");
        assertEquals("AWS::IAM::Role", TPL.resource(role).get("Type"));
        return role;
    }

    /** The statements of a function's role with the given parameters (Fn::If resolved, AWS::NoValue dropped). */
    static List<Map<String, Object>> statements(String function, Map<String, String> overrides) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : list(properties(roleOf(function)).get("Policies"), "Policies")) {
            Object picked = pick(at(policy, "PolicyDocument", "Statement"), overrides);
            for (Object statement : list(picked, "Statement")) {
                statements.add(map(statement, "statement"));
            }
        }
        return statements;
    }

    /** The one statement of the function's role that allows the action, or null. */
    static Map<String, Object> statement(String function, String action, Map<String, String> overrides) {
        List<Map<String, Object>> matching = statements(function, overrides).stream()
                .filter(s -> "Allow".equals(s.get("Effect")) && strings(s.get("Action")).contains(action)).toList();
        assertTrue(matching.size() <= 1, function + " has several statements for " + action);
        return matching.isEmpty() ? null : matching.get(0);
    }

    /** The ARNs the deployment's placeholders give the named clusters. */
    static List<String> clusterArns(String... names) {
        return Arrays.stream(names).map(name -> "arn:aws:ecs:us-east-1:123456789012:cluster/" + name).toList();
    }

    static String parameterPattern(String name) {
        return (String) map(TPL.parameters().get(name), name).get("AllowedPattern");
    }

    /**
     * The AssertDescription of every Rules assertion that refuses these parameter values: CloudFormation checks an
     * assertion only when its rule's RuleCondition (if any) holds, and refuses the stack when one is false.
     */
    static List<String> refusedBy(Map<String, String> overrides) {
        List<String> refusals = new ArrayList<>();
        Object rules = TPL.root().get("Rules");
        for (Map.Entry<String, Object> rule : map(rules, "Rules").entrySet()) {
            Map<String, Object> body = map(rule.getValue(), "rule " + rule.getKey());
            Object condition = body.get("RuleCondition");
            if (condition != null && !Boolean.parseBoolean(evaluate(condition, overrides))) {
                continue;
            }
            for (Object item : list(body.get("Assertions"), rule.getKey() + " Assertions")) {
                Map<String, Object> assertion = map(item, rule.getKey() + " assertion");
                if (!Boolean.parseBoolean(evaluate(assertion.get("Assert"), overrides))) {
                    refusals.add((String) assertion.get("AssertDescription"));
                }
            }
        }
        return refusals;
    }

    /** Logical ids of the resources of a type, in template order. */
    static List<String> resourcesOfType(String type) {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, Object> entry : TPL.resources().entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> resource && type.equals(resource.get("Type"))) {
                ids.add(entry.getKey());
            }
        }
        return ids;
    }

    static List<String> strings(Object value) {
        if (value instanceof String text) {
            return List.of(text);
        }
        List<String> result = new ArrayList<>();
        for (Object item : list(value, "list of strings")) {
            result.add(String.valueOf(item));
        }
        return result;
    }
}
