package io.jenkins.plugins.codepipeline.core.worker;

import java.util.regex.Pattern;

/** The checks shared by the worker's names: what CodePipeline's model allows, worded for the person who typed it. */
final class Names {
    /** Provider, version, configuration keys and queryable values all use this alphabet. */
    static final Pattern NAME_CHARACTERS = Pattern.compile("[0-9A-Za-z_-]+");
    static final String NAME_CHARACTERS_TEXT = "letters, digits, _ and -";

    private Names() {
    }

    /**
     * A trimmed, checked name.
     *
     * @param field   the field's name, for the message
     * @param value   what was given; null or blank is refused
     * @param max     the longest allowed value
     * @param example an example of a good value
     */
    static String check(String field, String value, int max, String example) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing; give 1–" + max + " " + NAME_CHARACTERS_TEXT
                    + ", such as " + example);
        }
        String trimmed = value.trim();
        if (trimmed.length() > max) {
            throw new IllegalArgumentException(field + " '" + printable(trimmed) + "' has " + trimmed.length()
                    + " characters, more than the limit of " + max + "; give a shorter one such as " + example);
        }
        if (!NAME_CHARACTERS.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(field + " '" + printable(trimmed) + "' may hold only "
                    + NAME_CHARACTERS_TEXT + " (1–" + max + " characters); give one such as " + example);
        }
        return trimmed;
    }

    /** Shows control characters as escapes and cuts very long input, so that a message stays one readable line. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > 80 ? out + "…" : out.toString();
    }
}
