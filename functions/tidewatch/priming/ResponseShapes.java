package tidewatch.priming;

import java.util.Set;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TraitType;

/**
 * The answers of stopped priming requests cannot be primed by reading them (that needs AWS), so their model classes,
 * most of what a restored function's first invocation still loads, are loaded and initialised instead: each answer's
 * type ({@code XResponse} for {@code XRequest}, the SDK's naming) and every type nested in it, found the way the SDK's
 * unmarshallers find them, through the builders' field definitions.
 */
final class ResponseShapes {
    private ResponseShapes() {}

    /** Loads the answer's shape of the request type; adds the builder types touched to {@code seen}. */
    static void loadResponseShape(Class<?> requestType, Set<Class<?>> seen) {
        String name = requestType.getName();
        if (!name.endsWith("Request")) {
            return;
        }
        try {
            Class<?> responseType = Class.forName(name.substring(0, name.length() - "Request".length()) + "Response",
                    true, requestType.getClassLoader());
            if (responseType.getMethod("builder").invoke(null) instanceof SdkPojo builder) {
                loadShape(builder, seen);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no response type for " + name, e);
        }
    }

    /** Loads the builder's type and every type nested in its fields (structures, list members, map values). */
    static void loadShape(SdkPojo builder, Set<Class<?>> seen) {
        if (!seen.add(builder.getClass())) {
            return;
        }
        for (SdkField<?> field : builder.sdkFields()) {
            loadField(field, seen);
        }
    }

    private static void loadField(SdkField<?> field, Set<Class<?>> seen) {
        if (field.marshallingType() == MarshallingType.SDK_POJO) {
            loadShape(field.constructor().get(), seen);
        } else if (field.marshallingType() == MarshallingType.LIST) {
            ListTrait list = field.getTrait(ListTrait.class, TraitType.LIST_TRAIT);
            if (list != null) {
                loadField(list.memberFieldInfo(), seen);
            }
        } else if (field.marshallingType() == MarshallingType.MAP) {
            MapTrait map = field.getTrait(MapTrait.class, TraitType.MAP_TRAIT);
            if (map != null) {
                loadField(map.valueFieldInfo(), seen);
            }
        }
    }
}
