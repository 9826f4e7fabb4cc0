package io.jenkins.plugins.codepipeline.cli;

/** The exit codes of {@code codepipeline-job}. */
public final class ExitCodes {
    /** CodePipeline accepted the result. */
    public static final int DELIVERED = 0;
    /** CodePipeline refused the result, or it could not be delivered. */
    public static final int NOT_DELIVERED = 1;
    /** Refused before sending: bad options, an invalid result, unreadable output variables. Nothing was sent. */
    public static final int REFUSED_LOCALLY = 2;
    /** The result most likely arrived, but its answer was lost (a retry found the job already closed). */
    public static final int ANSWER_LOST = 3;

    private ExitCodes() {
    }
}
