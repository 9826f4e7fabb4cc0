package io.jenkins.plugins.codepipeline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Runs the command in-process with a given environment and credentials, capturing stdout and stderr. */
final class CliRunner {
    static final String JOB_ID = "0a1b2c3d-1111-2222-3333-444455556666";

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A provider that counts how often it was built, resolved and closed. */
    static final class CountingCredentials implements AwsCredentialsProvider, AutoCloseable {
        final AtomicInteger built = new AtomicInteger();
        final AtomicInteger resolved = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final AwsCredentials credentials;

        CountingCredentials(AwsCredentials credentials) {
            this.credentials = credentials;
        }

        Supplier<AwsCredentialsProvider> supplier() {
            return () -> {
                built.incrementAndGet();
                return this;
            };
        }

        @Override
        public AwsCredentials resolveCredentials() {
            resolved.incrementAndGet();
            if (credentials == null) {
                throw new IllegalStateException("Unable to load credentials from any of the providers in the chain");
            }
            return credentials;
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    private final Map<String, String> env = new HashMap<>();
    CountingCredentials credentials = new CountingCredentials(AwsBasicCredentials.create("AKIDTEST", "testSecret"));

    CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    CliRunner credentials(CountingCredentials credentials) {
        this.credentials = credentials;
        return this;
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CodePipelineJobCommand.commandLine(new CliEnvironment(env, credentials.supplier()),
                new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
