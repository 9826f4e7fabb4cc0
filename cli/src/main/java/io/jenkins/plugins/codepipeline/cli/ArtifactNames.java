package io.jenkins.plugins.codepipeline.cli;

import java.util.regex.Pattern;

/** CodePipeline's artifact names: 1-100 letters, digits, _ and -; safe as a directory name. */
final class ArtifactNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,100}");

    private ArtifactNames() {
    }

    static void check(String name, String what) throws LocalProblem {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new LocalProblem(what + " '" + name + "' is not an artifact name (1-100 letters, digits, _ "
                    + "and -)");
        }
    }
}
