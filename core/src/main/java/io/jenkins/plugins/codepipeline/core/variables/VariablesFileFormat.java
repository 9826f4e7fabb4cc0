package io.jenkins.plugins.codepipeline.core.variables;

import java.util.Locale;

/** The format of a variables file. {@link #AUTO} tells it from the file name's extension. */
public enum VariablesFileFormat {
    /** Tell the format from the file name: {@code .properties}, {@code .env} or {@code .json}. */
    AUTO,
    /** {@link java.util.Properties} syntax. */
    PROPERTIES,
    /** {@code KEY=VALUE} lines, see {@link VariablesFileParser}. */
    DOTENV,
    /** One flat JSON object. */
    JSON;

    /** The names {@link #fromName(String)} accepts, for messages. */
    static final String ALLOWED_NAMES = "auto, properties, dotenv, json";

    /**
     * The format of the given name: {@code auto}, {@code properties}, {@code dotenv} or {@code json}, in any case.
     *
     * @throws IllegalArgumentException for any other name, listing the allowed ones
     */
    public static VariablesFileFormat fromName(String name) {
        if (name != null) {
            for (VariablesFileFormat format : values()) {
                if (format.name().equalsIgnoreCase(name.trim())) {
                    return format;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown variables file format " + (name == null ? "null" : "\"" + name + "\"")
                        + "; allowed values: " + ALLOWED_NAMES);
    }

    /** The lower-case name {@link #fromName(String)} accepts. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The concrete format of the given file: this one unless it is {@link #AUTO}, which picks by the extension of
     * the file name (case-insensitive): {@code .properties}, {@code .env} (a file named just {@code .env} included),
     * {@code .json}.
     *
     * @param fileName a file name or path, only used by {@link #AUTO}
     * @throws VariablesSourceException if this is {@link #AUTO} and the extension is none of those
     */
    public VariablesFileFormat resolve(String fileName) throws VariablesSourceException {
        if (this != AUTO) {
            return this;
        }
        String name = fileName == null ? "" : fileName;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        String baseName = name.substring(slash + 1).toLowerCase(Locale.ROOT);
        if (baseName.endsWith(".properties")) {
            return PROPERTIES;
        }
        if (baseName.endsWith(".env")) {
            return DOTENV;
        }
        if (baseName.endsWith(".json")) {
            return JSON;
        }
        throw new VariablesSourceException("cannot tell the format of variables file " + fileName
                + " from its name (expected .properties, .env or .json); set the format explicitly to one of: "
                + "properties, dotenv, json");
    }
}
