package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.swarmgate.config.DestinationFields;
import io.swarmgate.config.DestinationSpec;
import io.swarmgate.config.Field;
import io.swarmgate.config.ServiceFields;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.config.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a replica's state holds services: an object per spec keyed by each field's state name, in the order of
 * {@link ServiceFields} and {@link DestinationFields} (the service's name first), or sorted by name when the mapper
 * sorts properties. A field absent from the JSON, as in a state written before it existed, keeps its empty value; one
 * that does not read as its kind fails naming its path, e.g. {@code destinations[0].port}.
 */
final class SpecJsonModule extends SimpleModule {
    SpecJsonModule() {
        super("swarmgate-specs");
        addSerializer(ServiceSpec.class, new SpecSerializer<>(ServiceSpec.class, ServiceFields.ALL,
                ServiceFields.SERVICE_NAME, ServiceSpec::get));
        addSerializer(DestinationSpec.class, new SpecSerializer<>(DestinationSpec.class, DestinationFields.ALL, null,
                DestinationSpec::get));
        addDeserializer(ServiceSpec.class, new SpecDeserializer<>(ServiceFields.ALL,
                () -> new ServiceBuilder(ServiceSpec.builder("")), b -> b.builder.build()));
        addDeserializer(DestinationSpec.class, new SpecDeserializer<>(DestinationFields.ALL,
                () -> new DestinationBuilder(DestinationSpec.builder()), b -> b.builder.build()));
    }

    private static JavaType javaType(Field.Kind kind) {
        TypeFactory types = TypeFactory.defaultInstance();
        return switch (kind) {
            case TEXT -> types.constructType(String.class);
            case BOOLEAN -> types.constructType(boolean.class);
            case INT -> types.constructType(int.class);
            case LONG -> types.constructType(long.class);
            case TEXT_LIST -> types.constructCollectionType(List.class, String.class);
            case TEXT_MAP -> types.constructMapType(Map.class, String.class, String.class);
            case USERS -> types.constructCollectionType(List.class, User.class);
            case DESTINATIONS -> types.constructCollectionType(List.class, DestinationSpec.class);
        };
    }

    /** A spec's fields that the state holds, in the order they are written. */
    private static List<Field<?>> stored(List<Field<?>> fields, Field<?> first, boolean sorted) {
        List<Field<?>> stored = new ArrayList<>();
        if (first != null) {
            stored.add(first);
        }
        fields.stream().filter(f -> f.stateName() != null && f != first).forEach(stored::add);
        if (sorted) {
            stored.sort(Comparator.comparing(Field::stateName));
        }
        return stored;
    }

    private static final class SpecSerializer<S> extends JsonSerializer<S> {
        private final Class<S> type;
        private final List<Field<?>> inOrder;
        private final List<Field<?>> sorted;
        private final BiValue<S> value;

        SpecSerializer(Class<S> type, List<Field<?>> fields, Field<?> first, BiValue<S> value) {
            this.type = type;
            this.inOrder = stored(fields, first, false);
            this.sorted = stored(fields, first, true);
            this.value = value;
        }

        @Override
        public Class<S> handledType() {
            return type;
        }

        @Override
        public void serialize(S spec, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartObject();
            for (Field<?> field : provider.isEnabled(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY) ? sorted : inOrder) {
                provider.defaultSerializeField(field.stateName(), value.of(spec, field), json);
            }
            json.writeEndObject();
        }
    }

    @FunctionalInterface
    private interface BiValue<S> {
        Object of(S spec, Field<?> field);
    }

    /** A spec builder whose {@code with} takes any field, for a loop over the declared fields. */
    private interface AnyBuilder {
        <T> void set(Field<T> field, T value);
    }

    private record ServiceBuilder(ServiceSpec.Builder builder) implements AnyBuilder {
        @Override
        public <T> void set(Field<T> field, T value) {
            builder.with(field, value);
        }
    }

    private record DestinationBuilder(DestinationSpec.Builder builder) implements AnyBuilder {
        @Override
        public <T> void set(Field<T> field, T value) {
            builder.with(field, value);
        }
    }

    private static final class SpecDeserializer<S, B extends AnyBuilder> extends JsonDeserializer<S> {
        private final List<Field<?>> fields;
        private final Supplier<B> builders;
        private final Function<B, S> build;

        SpecDeserializer(List<Field<?>> fields, Supplier<B> builders, Function<B, S> build) {
            this.fields = stored(fields, null, false);
            this.builders = builders;
            this.build = build;
        }

        @Override
        public S deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = context.readTree(parser);
            B builder = builders.get();
            for (Field<?> field : fields) {
                JsonNode value = node.get(field.stateName());
                if (value != null && !value.isNull()) {
                    read(builder, field, value, context);
                }
            }
            return build.apply(builder);
        }

        private static <T> void read(AnyBuilder builder, Field<T> field, JsonNode value, DeserializationContext context)
                throws IOException {
            try {
                @SuppressWarnings("unchecked") // the kind's Java type is the field's
                T stored = (T) context.readTreeAsValue(value, javaType(field.kind()));
                builder.set(field, stored);
            } catch (JsonMappingException e) {
                throw JsonMappingException.wrapWithPath(e, null, field.stateName());
            }
        }
    }
}
