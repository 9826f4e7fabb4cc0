package io.jenkins.plugins.codepipeline.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The failure types CodePipeline accepts in {@code failureDetails.type} (service model shape {@code FailureType}). */
public enum FailureType {
    JOB_FAILED("JobFailed"),
    CONFIGURATION_ERROR("ConfigurationError"),
    PERMISSION_ERROR("PermissionError"),
    REVISION_OUT_OF_SYNC("RevisionOutOfSync"),
    REVISION_UNAVAILABLE("RevisionUnavailable"),
    SYSTEM_UNAVAILABLE("SystemUnavailable");

    private final String awsName;

    FailureType(String awsName) {
        this.awsName = awsName;
    }

    /** The name on the wire, such as {@code JobFailed}. */
    public String awsName() {
        return awsName;
    }

    /** All names as the service spells them, comma separated, for messages. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(FailureType::awsName).collect(Collectors.joining(", "));
    }

    /**
     * Accepts the service's spelling in any case, with or without separators
     * ({@code JobFailed}, {@code jobfailed}, {@code JOB_FAILED}).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static FailureType fromName(String name) {
        if (name != null) {
            String wanted = normalize(name);
            for (FailureType type : values()) {
                if (normalize(type.awsName).equals(wanted)) {
                    return type;
                }
            }
        }
        throw new IllegalArgumentException("failure type '" + name + "' is not one of " + allowedNames());
    }

    private static String normalize(String name) {
        return name.replace("_", "").replace("-", "").trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return awsName;
    }
}
