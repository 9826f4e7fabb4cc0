package io.jenkins.plugins.codepipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code codepipeline-job artifacts}: only holds {@code get} and {@code put}. */
@Command(name = "artifacts", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Download a job's input artifacts, or upload its output artifacts.",
        synopsisSubcommandLabel = "(get | put)",
        description = {
            "get downloads and extracts the input artifacts of a job; put zips and uploads its output artifacts. "
                    + "Both call GetJobDetails with this command's AWS credentials, then move the bytes to and from "
                    + "the pipeline's S3 artifact store with the job's own artifact credentials, which are never "
                    + "printed or written anywhere. See 'codepipeline-job artifacts get --help' and "
                    + "'codepipeline-job artifacts put --help'."})
final class ArtifactsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: get or put");
    }
}
