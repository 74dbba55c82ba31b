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

    /** A rule a value meets whatever its source: checked as a request is read and as the registry is handed it. */
    @FunctionalInterface
    interface Check<T> {
        /**
         * @param parameter the parameter to name in a refusal ({@code port.2})
         * @throws InvalidServiceException (400) naming {@code parameter} and the form it expects
         */
        void check(String parameter, T value);
    }

    private final @Nullable String parameter;
    private final @Nullable String jsonName;
    private final Kind kind;
    private final T empty;
    // Set while the field is declared, before its list gives it a position; never after.
    private @Nullable String alias;
    private @Nullable String stateName;
    private @Nullable Reader<T> reader;
    private Function<T, @Nullable Object> answer = value -> value;
    private Check<T> check = (name, value) -> { };
    private @Nullable String unsupported;
    private int position = -1;

    private Field(@Nullable String parameter, @Nullable String stateName, @Nullable String jsonName, Kind kind,
                  T empty, @Nullable Reader<T> reader) {
        this.parameter = parameter;
        this.stateName = stateName;
        this.jsonName = jsonName;
        this.kind = kind;
        this.empty = empty;
        this.reader = reader;
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
        return of(parameter, jsonName, Kind.INT, 0, (name, raw, context) -> ParameterValues.port(name, raw))
                .checking((name, port) -> {
                    if (port < 0 || port > ParameterValues.MAX_PORT) {
                        throw ParameterValues.invalid(name, String.valueOf(port), "1-65535");
                    }
                });
    }

    /** Items split on {@code SEPARATOR}, none when not given. */
    static Field<List<String>> list(String parameter, @Nullable String jsonName) {
        return of(parameter, jsonName, Kind.TEXT_LIST, List.of(),
                (name, raw, context) -> ParameterValues.list(raw, context.separator()));
    }

    /** Set by the model rather than by a parameter (a destination's index, whether a service is global). */
    static <T> Field<T> derived(String stateName, String jsonName, Kind kind, T empty) {
        return new Field<>(null, stateName, jsonName, kind, empty, null);
    }

    /**
     * A key of DFP's JSON that only held its HAProxy rendering state; Swarmgate renders none, so it always answers
     * {@code answer}, and it is neither read nor stored.
     */
    static Field<Object> rendering(String jsonName, @Nullable Object answer) {
        return new Field<Object>(null, null, jsonName, Kind.TEXT, "", null).answering(value -> answer);
    }

    static <T> Field<T> of(String parameter, @Nullable String jsonName, Kind kind, T empty, Reader<T> reader) {
        return new Field<>(parameter, parameter, jsonName, kind, empty, reader);
    }

    /** Reads it with another reader, e.g. one that normalises DFP's text. */
    Field<T> reading(Reader<T> newReader) {
        declaring().reader = newReader;
        return this;
    }

    /** Keeps it under another key in the replicas' state (the key it was first written with). */
    Field<T> storedAs(String newStateName) {
        declaring().stateName = newStateName;
        return this;
    }

    /** Reads it from a deprecated name of DFP's when its own is not given. */
    Field<T> alias(String deprecatedName) {
        declaring().alias = deprecatedName;
        return this;
    }

    /** Gives it another form in DFP's JSON answers (DFP writes a destination's port as text). */
    Field<T> answering(Function<T, @Nullable Object> newAnswer) {
        declaring().answer = newAnswer;
        return this;
    }

    /** Adds a rule its value meets from any source; a value that was not given meets it too. */
    Field<T> checking(Check<T> rule) {
        Check<T> before = declaring().check;
        check = (name, value) -> {
            before.check(name, value);
            rule.check(name, value);
        };
        return this;
    }

    /**
     * Marks a DFP parameter Swarmgate has no behaviour for: a request that sets it is refused with a 400 saying what
     * to use instead, unless {@code UNSUPPORTED_PARAMETERS=warn} accepts it without effect (see
     * {@link Compatibility}).
     */
    Field<T> unsupported(String instead) {
        declaring().unsupported = instead;
        return this;
    }

    private Field<T> declaring() {
        if (position >= 0) {
            throw new IllegalStateException(this + " is already declared");
        }
        return this;
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

    /** @throws InvalidServiceException (400) naming {@code name} when {@code value} breaks the field's rule */
    void check(String name, T value) {
        check.check(name, value);
    }

    /** What to use instead of this DFP parameter, which has no behaviour here; {@code null} when it has. */
    @Nullable String unsupported() {
        return unsupported;
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
