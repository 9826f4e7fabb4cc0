package io.jenkins.plugins.codepipeline.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code java -jar codepipeline-job.jar success|failure ...}; see {@code --help}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(CliEnvironment.system(), args));
    }

    /** Runs the command in this environment and gives the exit code; output goes to this process's stdout/stderr. */
    public static int run(CliEnvironment env, String... args) {
        // UTF-8 whatever the locale: the request body printed by --dry-run is JSON
        PrintWriter out = new PrintWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        try {
            return CodePipelineJobCommand.commandLine(env, out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
