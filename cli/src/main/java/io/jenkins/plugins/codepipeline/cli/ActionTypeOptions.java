package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import picocli.CommandLine.Option;

/** The custom action type: {@code --category}, {@code --provider}, {@code --version} (owner is always Custom). */
public final class ActionTypeOptions {
    @Option(names = "--category", paramLabel = "CATEGORY", required = true, order = 1,
            description = "Category of the custom action type: Source, Build, Deploy, Test, Invoke, Approval or "
                    + "Compute (any case).")
    String category;

    @Option(names = "--provider", paramLabel = "NAME", required = true, order = 2,
            description = "Provider of the custom action type, such as Jenkins (1-35 letters, digits, _ and -).")
    String provider;

    @Option(names = "--version", paramLabel = "V", required = true, order = 3,
            description = "Version of the custom action type, such as 1 (1-9 letters, digits, _ and -).")
    String version;

    /**
     * The action type these options name.
     *
     * @throws LocalProblem naming the option whose value is refused
     */
    ActionTypeId actionType() throws LocalProblem {
        try {
            return new ActionTypeId(category, provider, version);
        } catch (IllegalArgumentException e) {
            throw new LocalProblem(optionNamed(e.getMessage()));
        }
    }

    /** Core's messages start with the field's name ("category 'Bild' is not ..."); the user typed an option. */
    static String optionNamed(String message) {
        if (message == null) {
            return "invalid action type";
        }
        for (String field : new String[] {"category", "provider", "version"}) {
            if (message.startsWith(field + " ") || message.startsWith(field + ":")) {
                return "--" + message;
            }
        }
        return message;
    }
}
