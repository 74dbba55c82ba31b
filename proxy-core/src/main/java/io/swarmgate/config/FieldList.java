package io.swarmgate.config;

import java.util.ArrayList;
import java.util.List;

/** Collects fields in the order they are declared, each learning its position. */
final class FieldList {
    private final List<Field<?>> fields = new ArrayList<>();

    <T> Field<T> add(Field<T> field) {
        fields.add(field.at(fields.size()));
        return field;
    }

    List<Field<?>> all() {
        return List.copyOf(fields);
    }
}
