package io.jenkins.plugins.codepipeline.core.variables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Picks environment variables to publish as output variables. Each selector is either an exact name or a glob:
 * {@code *} matches any run of characters (none included), {@code ?} exactly one character; a glob must match a
 * whole name, case-sensitively. Every other character is literal ({@code A.B} matches only {@code A.B}).
 */
public final class EnvironmentVariableSelector {

    private EnvironmentVariableSelector() {
    }

    /**
     * The selected variables: in selector order, the names a glob matches sorted alphabetically; a name selected
     * twice keeps its first position.
     *
     * @param environment the environment, e.g. {@link System#getenv()}; a null value counts as not set
     * @param namesOrGlobs exact names and globs
     * @throws VariablesSourceException naming every exact name that is not set, and every blank selector
     */
    public static LinkedHashMap<String, String> select(Map<String, String> environment, List<String> namesOrGlobs)
            throws VariablesSourceException {
        LinkedHashMap<String, String> result = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < namesOrGlobs.size(); i++) {
            String selector = namesOrGlobs.get(i);
            if (selector == null || selector.isBlank()) {
                errors.add("environment variable selector #" + (i + 1) + " is blank");
            } else if (isGlob(selector)) {
                for (String name : matching(environment, selector)) {
                    result.putIfAbsent(name, environment.get(name));
                }
            } else if (environment.get(selector) == null) {
                errors.add("environment variable " + selector + " is not set");
            } else {
                result.putIfAbsent(selector, environment.get(selector));
            }
        }
        if (!errors.isEmpty()) {
            throw new VariablesSourceException(String.join("\n", errors));
        }
        return result;
    }

    /**
     * The globs among the selectors that match no variable of the environment, in selector order, for a warning
     * (a glob matching nothing is not an error).
     */
    public static List<String> globsMatchingNothing(Map<String, String> environment, List<String> namesOrGlobs) {
        List<String> result = new ArrayList<>();
        for (String selector : namesOrGlobs) {
            if (selector != null && !selector.isBlank() && isGlob(selector)
                    && matching(environment, selector).isEmpty()) {
                result.add(selector);
            }
        }
        return result;
    }

    /** Whether the selector contains {@code *} or {@code ?}. */
    public static boolean isGlob(String selector) {
        return selector.indexOf('*') >= 0 || selector.indexOf('?') >= 0;
    }

    /** The regular expression a glob stands for: literal parts quoted, {@code *} as {@code .*}, {@code ?} as {@code .}. */
    static Pattern globToPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static List<String> matching(Map<String, String> environment, String glob) {
        Pattern pattern = globToPattern(glob);
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            if (entry.getKey() != null && entry.getValue() != null && pattern.matcher(entry.getKey()).matches()) {
                names.add(entry.getKey());
            }
        }
        names.sort(null);
        return names;
    }
}
