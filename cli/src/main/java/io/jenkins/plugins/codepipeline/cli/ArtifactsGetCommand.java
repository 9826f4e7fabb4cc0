package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactSelection;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactTransferException;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

@Command(name = "get", sortOptions = false, showDefaultValues = true,
        header = "Download a job's input artifacts into DIR/<ArtifactName>/.",
        synopsisHeading = "%nUsage: ",
        descriptionHeading = "%n",
        description = {
            "Calls GetJobDetails, then downloads each input artifact of the job (or those named with --artifact) "
                    + "from the pipeline's S3 artifact store with the job's artifact credentials, into its own "
                    + "directory DIR/<ArtifactName>/, which is emptied first. A zip (CodePipeline's usual format), "
                    + "tar or tar.gz is extracted with its file modes, empty directories and symbolic links; an "
                    + "entry or link that would leave the directory fails the download. Any other object is saved "
                    + "as one file named after the artifact.",
            "",
            "stdout gets one line per downloaded artifact, NAME=DIRECTORY; everything else goes to stderr. The IAM "
                    + "policy of this command's credentials needs codepipeline:GetJobDetails."},
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every artifact asked for was downloaded",
            "1:GetJobDetails failed, the job has no such input artifact, or a download failed",
            "2:refused before anything was sent (bad options)"})
final class ArtifactsGetCommand extends ArtifactTransferCommand {
    static final String DEFAULT_DIRECTORY = "codepipeline/input";

    @Option(names = "--dir", paramLabel = "DIR", order = 1, defaultValue = DEFAULT_DIRECTORY,
            description = "Where each artifact gets its directory DIR/<ArtifactName>/ (relative to the current "
                    + "directory).")
    String directory;

    @Option(names = "--artifact", paramLabel = "NAME", order = 2, showDefaultValue = Visibility.NEVER,
            description = "Download only this input artifact; may be repeated. Default: every input artifact of "
                    + "the job.")
    List<String> artifacts = new ArrayList<>();

    private Path target;

    ArtifactsGetCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    String action() {
        return "Download";
    }

    @Override
    void checkArguments() throws LocalProblem {
        try {
            target = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new LocalProblem("--dir '" + directory + "' is not a valid path: " + e.getReason());
        }
        Set<String> seen = new HashSet<>();
        for (String name : artifacts) {
            ArtifactNames.check(name, "--artifact");
            if (!seen.add(name)) {
                throw new LocalProblem("--artifact " + name + " is given twice; name each artifact once");
            }
        }
    }

    @Override
    int transfer(ArtifactTransfers job, PrintWriter out, PrintWriter err) {
        String jobId = job.details().jobId();
        List<JobArtifact> selected;
        try {
            selected = ArtifactSelection.inputs(job.details().inputs(), artifacts);
            for (JobArtifact artifact : selected) {
                // the name becomes a directory: CodePipeline's names are safe ones, anything else is refused
                ArtifactNames.check(artifact.name(), "the job's input artifact name");
            }
        } catch (IllegalArgumentException | LocalProblem e) {
            err.println("Download refused for job " + jobId + ": " + e.getMessage() + " Nothing was downloaded.");
            return ExitCodes.NOT_DELIVERED;
        }
        if (selected.isEmpty()) {
            err.println("Job " + jobId + " has no input artifacts; nothing to download.");
            return ExitCodes.DELIVERED;
        }
        int done = 0;
        for (JobArtifact artifact : selected) {
            Path into = target.resolve(artifact.name());
            try {
                String line = job.download(artifact, into);
                out.println(artifact.name() + "=" + into);
                out.flush();
                err.println(line);
                err.flush();
                done++;
            } catch (ArtifactTransferException e) {
                err.println(e.getMessage());
                err.println("Downloaded " + done + " of " + selected.size() + " input artifact(s); stopped at '"
                        + artifact.name() + "'.");
                return ExitCodes.NOT_DELIVERED;
            }
        }
        return ExitCodes.DELIVERED;
    }
}
