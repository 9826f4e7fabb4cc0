package io.jenkins.plugins.codepipeline.core;

/**
 * CodePipeline's limits on job results, from the service model ({@code codepipeline/2015-07-09/service-2.json})
 * and, for the variables' total size, the user guide's quotas page. Lengths are in Unicode code points.
 */
public final class Limits {
    public static final String JOB_ID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    public static final int REVISION_MAX = 1500;
    public static final int CHANGE_IDENTIFIER_MAX = 100;
    public static final int REVISION_SUMMARY_MAX = 2048;
    public static final int CONTINUATION_TOKEN_MAX = 2048;
    public static final int SUMMARY_MAX = 2048;
    public static final int EXTERNAL_EXECUTION_ID_MAX = 1500;
    public static final int PERCENT_COMPLETE_MIN = 0;
    public static final int PERCENT_COMPLETE_MAX = 100;
    public static final int FAILURE_MESSAGE_MAX = 5000;
    public static final String OUTPUT_VARIABLE_KEY_PATTERN = "[A-Za-z0-9@\\-_]+";
    /** All keys plus all values, UTF-8 bytes. */
    public static final int OUTPUT_VARIABLES_MAX_BYTES = 122_880;

    private Limits() {
    }
}
