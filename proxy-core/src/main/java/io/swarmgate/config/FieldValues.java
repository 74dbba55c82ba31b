package io.swarmgate.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The values of one spec, by the position of their {@link Field} in its declared list. Immutable once built. */
final class FieldValues {
    private final List<Field<?>> fields;
    private final Object[] values;

    private FieldValues(List<Field<?>> fields, Object[] values) {
        this.fields = fields;
        this.values = values;
    }

    /** Every field at its empty value. */
    static FieldValues empty(List<Field<?>> fields) {
        Object[] values = new Object[fields.size()];
        for (Field<?> field : fields) {
            values[field.position()] = field.empty();
        }
        return new FieldValues(fields, values);
    }

    @SuppressWarnings("unchecked")
    <T> T get(Field<T> field) {
        return (T) values[checked(fields, values, field)];
    }

    Builder toBuilder() {
        return new Builder(fields, values.clone());
    }

    /** Sets values one by one; lists and maps are copied, so no caller can change a built spec. */
    static final class Builder {
        private final List<Field<?>> fields;
        private final Object[] values;

        private Builder(List<Field<?>> fields, Object[] values) {
            this.fields = fields;
            this.values = values;
        }

        <T> void set(Field<T> field, T value) {
            values[checked(fields, values, field)] = immutable(field, value);
        }

        @SuppressWarnings("unchecked")
        <T> T get(Field<T> field) {
            return (T) values[checked(fields, values, field)];
        }

        FieldValues build() {
            return new FieldValues(fields, values.clone());
        }
    }

    private static int checked(List<Field<?>> fields, Object[] values, Field<?> field) {
        int position = field.position();
        if (position < 0 || position >= values.length || fields.get(position) != field) {
            throw new IllegalArgumentException(field + " is not a field of this spec");
        }
        return position;
    }

    private static Object immutable(Field<?> field, Object value) {
        Objects.requireNonNull(value, field.toString());
        // Most of a parsed request's hundred fields are empty lists and maps: they share one empty value each.
        if (value instanceof List<?> list) {
            return list.isEmpty() ? List.of() : List.copyOf(list);
        }
        if (value instanceof Map<?, ?> map) {
            // Insertion order kept: the order the request gave its headers in.
            return map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldValues that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** {@code name=value, …} for the fields a request can set or the model derives. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Field<?> field : fields) {
            if (field.stateName() != null) {
                text.append(text.length() == 0 ? "" : ", ").append(field.stateName()).append('=')
                        .append(values[field.position()]);
            }
        }
        return text.toString();
    }
}
