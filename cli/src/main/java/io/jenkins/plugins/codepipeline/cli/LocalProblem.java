package io.jenkins.plugins.codepipeline.cli;

/** The result is refused before anything is sent (exit code 2). The message is printed as it is. */
final class LocalProblem extends Exception {
    private static final long serialVersionUID = 1L;

    LocalProblem(String message) {
        super(message);
    }
}
