package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.ExecutionDetails;
import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.JobResultValidator;
import io.jenkins.plugins.codepipeline.core.Limits;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.core.Violation;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
import io.jenkins.plugins.codepipeline.core.variables.VariablesFileFormat;
import io.jenkins.plugins.codepipeline.core.variables.VariablesFileParser;
import io.jenkins.plugins.codepipeline.core.variables.VariablesSourceException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The result a finished command gets: decided here, in one place, from its exit code and the files it wrote. */
final class CommandResults {
    /** A file the command may write output variables to. */
    static final String OUTPUT_VARIABLES_FILE = "CODEPIPELINE_OUTPUT_VARIABLES_FILE";
    /** A file the command may write a continuation token to. */
    static final String OUTPUT_CONTINUATION_TOKEN_FILE = "CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE";
    /** This run's id, which the result carries as externalExecutionId. */
    static final String EXTERNAL_EXECUTION_ID = "CODEPIPELINE_EXTERNAL_EXECUTION_ID";

    private CommandResults() {
    }

    /** What the command did. */
    record Finished(String jobId, String runId, String commandName, int exitCode, Duration took, OutputTail output,
            Path variablesFile, Path tokenFile) {
    }

    /** Success when the command exited 0 and wrote usable files; else a JobFailed failure saying why. */
    static JobResult of(Finished run) {
        if (run.exitCode() != 0) {
            String head = run.commandName() + " exited with code " + run.exitCode() + describeSignal(run.exitCode())
                    + " after " + seconds(run.took()) + " (run " + run.runId() + ").";
            return failure(run, head, true);
        }
        String token;
        Map<String, String> variables;
        try {
            token = readToken(run.tokenFile());
            variables = readVariables(run.variablesFile());
        } catch (VariablesSourceException e) {
            return failure(run, run.commandName() + " exited 0, but " + e.getMessage(), false);
        }
        if (token != null && !variables.isEmpty()) {
            return failure(run, run.commandName() + " exited 0, but it wrote both output variables ("
                    + String.join(", ", variables.keySet()) + ") and a continuation token; CodePipeline takes "
                    + "only one of them in a result. Write the variables in the last job of the action, the one "
                    + "that hands over no token.", false);
        }
        String summary = run.commandName() + " exited 0 after " + seconds(run.took())
                + (token != null ? "; the action goes on with a follow-up job" : "");
        SuccessResult result = SuccessResult.builder().jobId(run.jobId())
                .executionDetails(new ExecutionDetails(summary, run.runId(), null))
                .continuationToken(token)
                .outputVariables(variables)
                .build();
        List<Violation> violations = JobResultValidator.validate(result);
        if (!violations.isEmpty()) {
            return failure(run, run.commandName() + " exited 0, but its result breaks CodePipeline's rules: "
                    + violations.stream().map(Violation::describe).collect(Collectors.joining("; ")), false);
        }
        return result;
    }

    /** A JobFailed failure whose message starts with {@code head}, then (when wanted) the end of the output. */
    private static FailureResult failure(Finished run, String head, boolean withOutput) {
        return FailureResult.builder().jobId(run.jobId()).type(FailureType.JOB_FAILED)
                .message(message(head, withOutput ? run.output() : null))
                .externalExecutionId(run.runId()).build();
    }

    /** A failure for a command that could not be started. */
    static FailureResult notStarted(String jobId, String runId, String commandName, String reason) {
        return FailureResult.builder().jobId(jobId).type(FailureType.JOB_FAILED)
                .message(message("The worker could not start " + commandName + " (run " + runId + "): " + reason,
                        null))
                .externalExecutionId(runId).build();
    }

    /** A JobFailed failure for a command that was not run because its input artifacts could not be downloaded. */
    static FailureResult inputsNotDownloaded(String jobId, String runId, String commandName, String reason) {
        return FailureResult.builder().jobId(jobId).type(FailureType.JOB_FAILED)
                .message(message("The worker did not run " + commandName + " (run " + runId + ") because the job's "
                        + "input artifacts could not be downloaded: " + reason, null))
                .externalExecutionId(runId).build();
    }

    /**
     * A failure for a command that exited 0 but whose output artifacts are missing (ConfigurationError) or could not
     * be uploaded (JobFailed).
     */
    static FailureResult outputsNotUploaded(String jobId, String runId, FailureType type, String reason) {
        return FailureResult.builder().jobId(jobId).type(type)
                .message(message(reason + " (run " + runId + ")", null))
                .externalExecutionId(runId).build();
    }

    /** {@code head}, then the end of the output, within CodePipeline's 5000 code points. */
    static String message(String head, OutputTail output) {
        int max = Limits.FAILURE_MESSAGE_MAX;
        String text = cut(head, max);
        if (output == null) {
            return text;
        }
        if (output.isEmpty()) {
            return cut(text + " It printed nothing.", max);
        }
        String intro = " The end of its output:\n";
        String ellipsis = "…";
        int room = max - codePoints(text) - codePoints(intro);
        if (room <= codePoints(ellipsis) + 1) {
            return text;
        }
        String tail = output.last(room);
        if (output.shortened() || codePoints(output.last(room + 1)) > codePoints(tail)) {
            // earlier output is missing: say so with a leading ellipsis, within the limit
            tail = ellipsis + output.last(room - codePoints(ellipsis));
        }
        return text + intro + tail;
    }

    private static String readToken(Path file) throws VariablesSourceException {
        String content = readFile(file, "the continuation token file (" + OUTPUT_CONTINUATION_TOKEN_FILE + ")");
        if (content == null || content.isBlank()) {
            return null;
        }
        String token = content.strip();
        try {
            ContinuationTokens.requireUserToken(token, "the continuation token in " + OUTPUT_CONTINUATION_TOKEN_FILE);
        } catch (IllegalArgumentException e) {
            throw new VariablesSourceException(e.getMessage());
        }
        return token;
    }

    private static Map<String, String> readVariables(Path file) throws VariablesSourceException {
        String content = readFile(file, "the output variables file (" + OUTPUT_VARIABLES_FILE + ")");
        if (content == null || content.isBlank()) {
            return Map.of();
        }
        String body = content.startsWith("\uFEFF") ? content.substring(1) : content;
        VariablesFileFormat format = body.stripLeading().startsWith("{") ? VariablesFileFormat.JSON
                : VariablesFileFormat.DOTENV;
        try {
            return VariablesFileParser.parse(OUTPUT_VARIABLES_FILE, content, format);
        } catch (VariablesSourceException e) {
            throw new VariablesSourceException("its output variables could not be read (" + format.displayName()
                    + "): " + e.getMessage());
        }
    }

    /** The file's UTF-8 text; null when the command removed it. */
    private static String readFile(Path file, String what) throws VariablesSourceException {
        if (file == null) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (CharacterCodingException e) {
            throw new VariablesSourceException(what + " is not valid UTF-8");
        } catch (IOException e) {
            throw new VariablesSourceException(what + " could not be read: " + e.getClass().getSimpleName());
        }
    }

    /** Java reports a command killed by signal N as exit code 128 + N. */
    private static String describeSignal(int exitCode) {
        return switch (exitCode) {
            case 129 -> " (SIGHUP)";
            case 130 -> " (SIGINT)";
            case 134 -> " (SIGABRT)";
            case 137 -> " (SIGKILL)";
            case 139 -> " (SIGSEGV)";
            case 143 -> " (SIGTERM)";
            default -> "";
        };
    }

    static String seconds(Duration took) {
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }

    private static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String cut(String s, int max) {
        return codePoints(s) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }
}
