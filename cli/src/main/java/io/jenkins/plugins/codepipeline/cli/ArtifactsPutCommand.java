package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactCredentials;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactTransferException;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactUploader;
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
import software.amazon.awssdk.services.s3.S3Client;

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
    int transfer(ArtifactJob job, S3Client s3, ArtifactStoreSettings store, ArtifactCredentials credentials,
            PrintWriter out, PrintWriter err) {
        List<String> declared = ArtifactJob.names(job.outputs);
        List<String> missing = declared.stream().filter(n -> !sources.containsKey(n)).toList();
        List<String> unknown = sources.keySet().stream().filter(n -> !declared.contains(n)).toList();
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            StringBuilder message = new StringBuilder("Upload refused: nothing was uploaded. Job ").append(job.jobId)
                    .append(" declares the output artifact(s) ").append(ArtifactsGetCommand.describe(declared))
                    .append('.');
            if (!missing.isEmpty()) {
                message.append(" Missing: ").append(String.join(", ", missing))
                        .append(" (give each as NAME=PATH).");
            }
            if (!unknown.isEmpty()) {
                message.append(" Not an output artifact of the job: ").append(String.join(", ", unknown)).append('.');
            }
            err.println(message);
            return ExitCodes.NOT_DELIVERED;
        }
        if (declared.isEmpty()) {
            err.println("Job " + job.jobId + " has no output artifacts; nothing to upload.");
            return ExitCodes.DELIVERED;
        }
        ArtifactUploader uploader = new ArtifactUploader(s3, store);
        int done = 0;
        for (JobArtifact artifact : job.outputs) {
            Path source = sources.get(artifact.name());
            try {
                ArtifactUploader.Result result = uploader.upload(artifact, source, job.kmsKeyId, credentials);
                String location = "s3://" + artifact.bucket() + "/" + artifact.objectKey();
                out.println(artifact.name() + "=" + location);
                out.flush();
                err.println("Uploaded output artifact '" + artifact.name() + "' from " + source + " to " + location
                        + " (" + result.format() + ", " + result.bytes() + " bytes in " + result.parts()
                        + " part(s), " + result.files() + " file(s), SSE-KMS "
                        + (job.kmsKeyId == null ? "with the bucket's default key" : "with key " + job.kmsKeyId)
                        + ")");
                done++;
            } catch (ArtifactTransferException e) {
                err.println(e.getMessage());
                err.println("Uploaded " + done + " of " + declared.size() + " output artifact(s); stopped at '"
                        + artifact.name() + "'. Do not report the job as succeeded.");
                return ExitCodes.NOT_DELIVERED;
            }
        }
        return ExitCodes.DELIVERED;
    }
}
