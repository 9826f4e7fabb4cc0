package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.AwsErrorMessages;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.Limits;
import io.jenkins.plugins.codepipeline.core.SettingSources;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import io.jenkins.plugins.codepipeline.core.artifacts.JobDetailsException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * What {@code artifacts get} and {@code artifacts put} share: the job id, CodePipeline's and S3's endpoints, and
 * the run: local checks (exit 2), GetJobDetails with the command line's credentials, then the transfers with the
 * job's artifact credentials (exit 1 when anything is refused or fails).
 */
abstract class ArtifactTransferCommand implements Callable<Integer> {
    final CliEnvironment env;

    @Spec
    CommandSpec spec;

    @Option(names = "--job-id", paramLabel = "ID", order = 0,
            description = "The id of the job (a lower-case UUID). Default: the environment variable "
                    + SettingSources.JOB_ID_VARIABLE + ", as 'codepipeline-job worker' sets it for its command.")
    String jobId;

    @Option(names = "--s3-endpoint-url", paramLabel = "URL", order = 104,
            description = "S3 endpoint to use instead of the region's (VPC endpoints, S3-compatible servers in "
                    + "tests); it is then addressed path-style. Default: the environment variable AWS_ENDPOINT_URL_S3, "
                    + "else AWS_ENDPOINT_URL, else the region's S3 endpoint.")
    String s3EndpointUrl;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 300, description = "Show this help and exit.")
    boolean help;

    ArtifactTransferCommand(CliEnvironment env) {
        this.env = env;
    }

    /** What is done, for messages: "Download" or "Upload". */
    abstract String action();

    /** Checks the command's own arguments before anything is sent. */
    abstract void checkArguments() throws LocalProblem;

    /** The transfers, once the job's details are known; gives the exit code. */
    abstract int transfer(ArtifactTransfers job, PrintWriter out, PrintWriter err);

    @Override
    public final Integer call() {
        return CommandStreams.run(spec, this::run);
    }

    private int run(PrintWriter out, PrintWriter err) {
        String id;
        ConnectionSettings settings;
        ArtifactStoreSettings store;
        try {
            id = jobId();
            settings = connection.settings(env);
            store = ArtifactTransfers.storeSettings(s3EndpointUrl, env.variables(), settings);
            checkArguments();
        } catch (LocalProblem e) {
            err.println(action() + " not started: " + e.getMessage());
            return ExitCodes.REFUSED_LOCALLY;
        }
        AwsCredentialsProvider provider = null;
        try (CodePipelineClientCache clients = new CodePipelineClientCache(new ApacheHttpClientFactory());
                CodePipelineClientCache.Lease lease = clients.acquire(settings)) {
            provider = env.credentials().get();
            try {
                provider.resolveCredentials();
            } catch (RuntimeException e) {
                err.println("Could not get AWS credentials: " + AwsErrorMessages.rootMessage(e) + ". Nothing was "
                        + "transferred; check the credentials.");
                return ExitCodes.NOT_DELIVERED;
            }
            ArtifactTransfers job;
            try {
                job = ArtifactTransfers.start(lease.client(), settings, id, provider, store, line -> {
                    err.println(line);
                    err.flush();
                });
            } catch (JobDetailsException e) {
                err.println(e.getMessage() + " Nothing was transferred.");
                return ExitCodes.NOT_DELIVERED;
            }
            try (job) {
                return transfer(job, out, err);
            }
        } finally {
            CliEnvironment.close(provider);
        }
    }

    private String jobId() throws LocalProblem {
        SettingSources.Setting setting = SettingSources.jobId(jobId, env.variables());
        if (!setting.isSet()) {
            throw new LocalProblem("no job id: give --job-id, or set " + SettingSources.JOB_ID_VARIABLE);
        }
        if (!setting.value().matches(Limits.JOB_ID_PATTERN)) {
            throw new LocalProblem("the job id '" + setting.value() + "' (from "
                    + ("argument".equals(setting.source()) ? "--job-id" : "the " + setting.source())
                    + ") is not a lower-case UUID such as 0a1b2c3d-1111-2222-3333-444455556666");
        }
        return setting.value();
    }
}
