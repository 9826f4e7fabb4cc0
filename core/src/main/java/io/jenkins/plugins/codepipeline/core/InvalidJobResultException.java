package io.jenkins.plugins.codepipeline.core;

import java.util.List;
import java.util.stream.Collectors;

/** A job result that breaks CodePipeline's rules; nothing was sent. Lists every violation. */
public final class InvalidJobResultException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidJobResultException(String operationName, List<Violation> violations) {
        super(message(operationName, violations));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String message(String operationName, List<Violation> violations) {
        String head = violations.size() == 1
                ? operationName + " not sent, 1 problem:"
                : operationName + " not sent, " + violations.size() + " problems:";
        return violations.stream().map(v -> "  - " + v.describe())
                .collect(Collectors.joining(System.lineSeparator(), head + System.lineSeparator(), ""));
    }
}
