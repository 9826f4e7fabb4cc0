package io.jenkins.plugins.codepipeline.core.worker;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * Which jobs of the type: the queryable configuration property's name and the value a pipeline's action must have.
 * A null value takes every job of the type. AWS allows queryable values of at most 20 characters of
 * {@code [A-Za-z0-9_-]}, so a value cannot be a Jenkins folder path.
 *
 * @param name  the queryable property's name, {@link #DEFAULT_NAME} when null or blank; 1–50 characters
 * @param value the value to match, null (also for blank) for every job of the type; 1–20 characters
 */
public record JobQuery(String name, String value) implements Serializable {
    public static final String DEFAULT_NAME = "ProjectName";
    public static final int NAME_MAX = 50;
    public static final int VALUE_MAX = 20;

    public JobQuery {
        name = name == null || name.isBlank() ? DEFAULT_NAME : Names.check("query property name", name, NAME_MAX,
                DEFAULT_NAME);
        value = value == null || value.isBlank() ? null : Names.check("query value (" + name + ")", value, VALUE_MAX,
                "app");
    }

    /** Every job of the type. */
    public static JobQuery all() {
        return new JobQuery(null, null);
    }

    /**
     * Parses {@code NAME=VALUE} or a bare {@code VALUE} (for {@link #DEFAULT_NAME}), as the command line takes it;
     * null or blank is every job.
     */
    public static JobQuery parse(String text) {
        if (text == null || text.isBlank()) {
            return all();
        }
        int equals = text.indexOf('=');
        return equals < 0 ? new JobQuery(null, text) : new JobQuery(text.substring(0, equals),
                text.substring(equals + 1));
    }

    public boolean matchesAll() {
        return value == null;
    }

    /** PollForJobs' queryParam: empty for every job, else one entry. */
    public Map<String, String> toQueryParam() {
        return value == null ? Map.of() : Map.of(name, value);
    }

    /** {@code ProjectName=app}, or {@code every job}. */
    public String describe() {
        return value == null ? "every job" : name + "=" + value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobQuery q && name.equals(q.name) && Objects.equals(value, q.value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return describe();
    }
}
