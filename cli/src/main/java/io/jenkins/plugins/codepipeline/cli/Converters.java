package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.variables.VariablesFileFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters. Their messages never repeat a value that may be secret. */
final class Converters {
    private Converters() {
    }

    /** An ISO-8601 instant, {@code 2026-11-25T10:00:00Z}; an offset instead of {@code Z} is accepted too. */
    static final class IsoInstant implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException notUtc) {
                try {
                    return OffsetDateTime.parse(value.trim()).toInstant();
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException("'" + value + "' is not an ISO-8601 instant; give a date and "
                            + "time with a zone, such as 2026-11-25T10:00:00Z or 2026-11-25T11:00:00+01:00");
                }
            }
        }
    }

    /** {@link FailureType#fromName}: {@code JobFailed}, {@code jobfailed}, {@code JOB_FAILED}, ... */
    static final class FailureTypeName implements ITypeConverter<FailureType> {
        @Override
        public FailureType convert(String value) {
            try {
                return FailureType.fromName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@link VariablesFileFormat#fromName}: auto, properties, dotenv, json. */
    static final class FileFormatName implements ITypeConverter<VariablesFileFormat> {
        @Override
        public VariablesFileFormat convert(String value) {
            try {
                return VariablesFileFormat.fromName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** KEY=VALUE, split at the first {@code =}; the value may be empty. */
    static final class Assignment implements ITypeConverter<Variable> {
        @Override
        public Variable convert(String value) {
            int eq = value.indexOf('=');
            if (eq < 0) {
                // the argument is not repeated: it may be a secret given without its name
                throw new TypeConversionException("expected KEY=VALUE, but the argument has no '='");
            }
            return new Variable(value.substring(0, eq), value.substring(eq + 1));
        }
    }

    /** One {@code --output-variable}. */
    record Variable(String key, String value) {
        @Override
        public String toString() {
            return key + "=(value not shown)";
        }
    }
}
