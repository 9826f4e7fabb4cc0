package io.jenkins.plugins.codepipeline.cli;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * What the command reads from the machine: the environment variables (region and endpoint defaults,
 * {@code --output-variables-from-env}) and the AWS credentials. Tests pass their own.
 *
 * @param variables   the environment
 * @param credentials called once, and only when a result is actually sent; a provider that is
 *                    {@link AutoCloseable} is closed when the command ends
 */
public record CliEnvironment(Map<String, String> variables, Supplier<AwsCredentialsProvider> credentials) {

    public CliEnvironment {
        variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
        Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * This process's environment and the SDK's default credentials chain (environment variables, Java system
     * properties, the shared credentials and config files, container and instance metadata). The chain is built
     * on first use only: a dry run or a refused result never loads it.
     */
    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), () -> DefaultCredentialsProvider.builder().build());
    }

    /** Closes a provider from {@link #credentials} that is {@link AutoCloseable}; null or not closeable: nothing. */
    static void close(AwsCredentialsProvider provider) {
        if (provider instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // nothing left to do at exit
            }
        }
    }
}
