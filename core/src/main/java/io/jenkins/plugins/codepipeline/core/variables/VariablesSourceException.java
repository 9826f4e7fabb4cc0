package io.jenkins.plugins.codepipeline.core.variables;

/**
 * A variables source cannot be read or used. The message is meant for a build log: it names keys, files and line
 * numbers, never a variable's value (values may be secrets). Several problems found at once are reported on
 * separate lines of one message.
 *
 * <p>No cause is attached on purpose: the messages of underlying parser exceptions may quote file content.
 */
public final class VariablesSourceException extends Exception {

    private static final long serialVersionUID = 1L;

    public VariablesSourceException(String message) {
        super(message);
    }
}
