package io.swarmgate.config;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One field of Docker Flow Proxy's service model, declared once in {@link ServiceFields} or {@link DestinationFields}:
 * its names in every source and answer, the typed value it holds and how that is read from DFP's text and written
 * back. The reconfigure parser, the label decoder and {@code DFP_SERVICE_*} (which both become reconfigure
 * parameters), the JSON answers and the replicas' state all go through these declarations, so a field is named once.
 *
 * @param <T> the value's type inside: {@code String}, {@code Boolean}, {@code Integer}, {@code Long}, a list or a
 *            map; outside, in answers and labels, it is DFP's text
 */
public final class Field<T> {
    /** What a value is in JSON, so a state written by one replica reads back in another. */
    public enum Kind { TEXT, BOOLEAN, INT, LONG, TEXT_LIST, TEXT_MAP, USERS, DESTINATIONS }

    /** Reads a field's value from DFP's text. */
    @FunctionalInterface
    interface Reader<T> {
        /**
         * @param parameter the parameter that supplied {@code raw}, named in a refusal ({@code port.2})
         * @param raw       its first value, empty when absent
         * @throws InvalidServiceException (400) naming {@code parameter} and the form it expects
         */
        T read(String parameter, String raw, ReadContext context);
    }

    /** What a reader may consult besides its own value: the list separator and the request's other parameters. */
    interface ReadContext {
        String separator();

        /** Another parameter of the request, any case, or empty; for a flag that changes how a value reads. */
        String parameter(String name);
    }

    private final @Nullable String parameter;
    private final @Nullable String alias;
    private final @Nullable String stateName;
    private final @Nullable String jsonName;
    private final Kind kind;
    private final T empty;
    private final @Nullable Reader<T> reader;
    private final Function<T, @Nullable Object> answer;
    private int position = -1;

    private Field(@Nullable String parameter, @Nullable String alias, @Nullable String stateName,
                  @Nullable String jsonName, Kind kind, T empty, @Nullable Reader<T> reader,
                  Function<T, @Nullable Object> answer) {
        this.parameter = parameter;
        this.alias = alias;
        this.stateName = stateName;
        this.jsonName = jsonName;
        this.kind = kind;
        this.empty = empty;
        this.reader = reader;
        this.answer = answer;
    }

    /** A value as given, empty when not. */
    static Field<String> text(String parameter, @Nullable String jsonName) {
        return of(parameter, jsonName, Kind.TEXT, "", (name, raw, context) -> raw);
    }

    /** Go's {@code ParseBool}; false when not given. */
    static Field<Boolean> bool(String parameter, @Nullable String jsonName) {
        return of(parameter, jsonName, Kind.BOOLEAN, false, (name, raw, context) -> ParameterValues.bool(name, raw));
    }

    /** A TCP port 1-65535, 0 when not given. */
    static Field<Integer> port(String parameter, String jsonName) {
        return of(parameter, jsonName, Kind.INT, 0, (name, raw, context) -> ParameterValues.port(name, raw));
    }

    /** Items split on {@code SEPARATOR}, none when not given. */
    static Field<List<String>> list(String parameter, @Nullable String jsonName) {
        return of(parameter, jsonName, Kind.TEXT_LIST, List.of(),
                (name, raw, context) -> ParameterValues.list(raw, context.separator()));
    }

    /** Set by the model rather than by a parameter (a destination's index, whether a service is global). */
    static <T> Field<T> derived(String stateName, String jsonName, Kind kind, T empty) {
        return new Field<>(null, null, stateName, jsonName, kind, empty, null, v -> v);
    }

    /**
     * A key of DFP's JSON that only held its HAProxy rendering state; Swarmgate renders none, so it always answers
     * {@code answer}, and it is neither read nor stored.
     */
    static Field<Object> rendering(String jsonName, @Nullable Object answer) {
        return new Field<>(null, null, null, jsonName, Kind.TEXT, "", null, v -> answer);
    }

    static <T> Field<T> of(String parameter, @Nullable String jsonName, Kind kind, T empty, Reader<T> reader) {
        return new Field<>(parameter, null, parameter, jsonName, kind, empty, reader, v -> v);
    }

    /** The same field read with another reader, e.g. one that normalises DFP's text. */
    Field<T> reading(Reader<T> newReader) {
        return new Field<>(parameter, alias, stateName, jsonName, kind, empty, newReader, answer);
    }

    /** The same field under another key in the replicas' state (kept as it was first written). */
    Field<T> storedAs(String newStateName) {
        return new Field<>(parameter, alias, newStateName, jsonName, kind, empty, reader, answer);
    }

    /** The same field read from a deprecated name of DFP's when its own is not given. */
    Field<T> alias(String deprecatedName) {
        return new Field<>(parameter, deprecatedName, stateName, jsonName, kind, empty, reader, answer);
    }

    /** The same field with another form in DFP's JSON answers (DFP writes a destination's port as text). */
    Field<T> answering(Function<T, @Nullable Object> newAnswer) {
        return new Field<>(parameter, alias, stateName, jsonName, kind, empty, reader, newAnswer);
    }

    /** The same field left out of DFP's JSON answers (Swarmgate's own service-level fields are not echoed). */
    Field<T> unanswered() {
        return new Field<>(parameter, alias, stateName, null, kind, empty, reader, answer);
    }

    /** Called once by the field list that declares it. */
    Field<T> at(int newPosition) {
        if (position >= 0) {
            throw new IllegalStateException(this + " is declared twice");
        }
        position = newPosition;
        return this;
    }

    int position() {
        return position;
    }

    /** DFP's reconfigure parameter, also the label {@code com.df.<parameter>}; {@code null} when set by the model. */
    public @Nullable String parameter() {
        return parameter;
    }

    @Nullable String alias() {
        return alias;
    }

    /** The key in the replicas' state, {@code null} for DFP's rendering keys. */
    public @Nullable String stateName() {
        return stateName;
    }

    /** DFP's JSON key, {@code null} when DFP's answers do not carry the field. */
    public @Nullable String jsonName() {
        return jsonName;
    }

    public Kind kind() {
        return kind;
    }

    /** The value when not given. */
    public T empty() {
        return empty;
    }

    T read(String name, String raw, ReadContext context) {
        return Objects.requireNonNull(reader, "a derived field is not read").read(name, raw, context);
    }

    /** The value as DFP's JSON answers write it: strings, numbers, booleans, lists and maps of them, or null. */
    public @Nullable Object answer(T value) {
        return answer.apply(value);
    }

    @Override
    public String toString() {
        return parameter != null ? parameter : stateName != null ? stateName : String.valueOf(jsonName);
    }
}
