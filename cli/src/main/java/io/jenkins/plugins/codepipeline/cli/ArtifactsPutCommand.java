package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactSelection;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactTransferException;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Parameters;

@Command(name = "put", sortOptions = false, showDefaultValues = true,
        header = "Upload a job's output artifacts, each from a directory (zipped) or a file (as is).",
        synopsisHeading = "%nUsage: ",
        descriptionHeading = "%n",
        description = {
            "Calls GetJobDetails, then uploads each output artifact to the place the job gives it in the "
                    + "pipeline's S3 artifact store, with the job's artifact credentials and server-side encryption "
                    + "aws:kms (with the job's KMS key when it has one). A directory is zipped with its file modes, "
                    + "empty directories and symbolic links; a file is uploaded unchanged. Large artifacts go in "
                    + "parts (multipart upload), with little memory whatever their size.",
            "",
            "Every output artifact the job declares must be given: when one is missing, or a name is not one of the "
                    + "job's output artifacts, nothing is uploaded. Report the job's result only after this command "
                    + "exited 0.",
            "",
            "stdout gets one line per uploaded artifact, NAME=s3://BUCKET/KEY; everything else goes to stderr. The "
                    + "IAM policy of this command's credentials needs codepipeline:GetJobDetails."},
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every output artifact of the job was uploaded",
            "1:GetJobDetails failed, the artifacts given do not match the job's output artifacts (nothing was "
                    + "uploaded), or an upload failed",
            "2:refused before anything was sent (bad arguments, a PATH that is neither a directory nor a file)"})
final class ArtifactsPutCommand extends ArtifactTransferCommand {
    @Parameters(paramLabel = "NAME=PATH", arity = "0..*", showDefaultValue = Visibility.NEVER,
            description = "An output artifact of the job and the directory or file to upload as it.")
    List<String> pairs = new ArrayList<>();

    private final Map<String, Path> sources = new LinkedHashMap<>();

    ArtifactsPutCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    String action() {
        return "Upload";
    }

    @Override
    void checkArguments() throws LocalProblem {
        sources.clear();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals < 0) {
                throw new LocalProblem("'" + pair + "' is not NAME=PATH");
            }
            String name = pair.substring(0, equals);
            String text = pair.substring(equals + 1);
            ArtifactNames.check(name, "the output artifact name in '" + pair + "':");
            if (sources.containsKey(name)) {
                throw new LocalProblem("the output artifact " + name + " is given twice");
            }
            Path path;
            try {
                path = Path.of(text);
            } catch (InvalidPathException e) {
                throw new LocalProblem("the path of " + name + ", '" + text + "', is not valid: " + e.getReason());
            }
            if (text.isEmpty() || !(Files.isDirectory(path) || Files.isRegularFile(path))) {
                throw new LocalProblem("the path of " + name + ", '" + text + "', is neither a directory nor a "
                        + "file; check that the build produced it");
            }
            sources.put(name, path);
        }
    }

    @Override
    int transfer(ArtifactTransfers job, PrintWriter out, PrintWriter err) {
        String jobId = job.details().jobId();
        List<Map.Entry<String, String>> given = new ArrayList<>();
        sources.forEach((name, path) -> given.add(Map.entry(name, path.toString())));
        List<Map.Entry<JobArtifact, String>> selected;
        try {
            selected = ArtifactSelection.outputs(job.details().outputs(), given);
        } catch (IllegalArgumentException e) {
            err.println("Upload refused for job " + jobId + ": " + e.getMessage() + " Nothing was uploaded.");
            return ExitCodes.NOT_DELIVERED;
        }
        if (selected.isEmpty()) {
            err.println("Job " + jobId + " has no output artifacts; nothing to upload.");
            return ExitCodes.DELIVERED;
        }
        int done = 0;
        for (Map.Entry<JobArtifact, String> output : selected) {
            JobArtifact artifact = output.getKey();
            try {
                String line = job.upload(artifact, sources.get(artifact.name()));
                out.println(artifact.name() + "=" + ArtifactTransfers.location(artifact));
                out.flush();
                err.println(line);
                err.flush();
                done++;
            } catch (ArtifactTransferException e) {
                err.println(e.getMessage());
                err.println("Uploaded " + done + " of " + selected.size() + " output artifact(s); stopped at '"
                        + artifact.name() + "'. Do not report the job as succeeded.");
                return ExitCodes.NOT_DELIVERED;
            }
        }
        return ExitCodes.DELIVERED;
    }
}
