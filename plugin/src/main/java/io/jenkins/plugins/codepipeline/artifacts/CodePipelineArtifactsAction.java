package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.RunAction2;

/**
 * The CodePipeline artifacts a build moved, shown on the build page (summary.jelly) and persisted in build.xml:
 * direction, name, S3 location, size, files, format and when. Never a credential. The job worker's automatic report
 * reads {@link #uploadedOutputs(String)}: a build that ends well without uploading the outputs its job declares is
 * reported as a ConfigurationError, not a success.
 */
public final class CodePipelineArtifactsAction implements RunAction2 {
    /** Copy-on-write: parallel branches may transfer while the build is being saved. */
    private List<Transfer> transfers = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /** One artifact moved. A plain class, not a record: Jenkins' XStream cannot read records back from build.xml. */
    public static final class Transfer implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String direction;
        private final String jobId;
        private final String name;
        private final String location;
        private final String path;
        private final String format;
        private final long bytes;
        private final int files;
        private final int parts;
        private final long timestamp;

        /**
         * @param direction {@code input} (downloaded) or {@code output} (uploaded)
         * @param jobId     the CodePipeline job
         * @param name      the artifact's name
         * @param location  {@code s3://bucket/key}
         * @param path      the workspace-relative directory (input) or path (output)
         * @param format    {@code zip}, {@code tar}, {@code tar.gz} or {@code file}
         * @param bytes     the object's size
         * @param files     files extracted or zipped (1 for a single file)
         * @param parts     upload parts (0 for a download)
         * @param timestamp when, in epoch milliseconds
         */
        public Transfer(String direction, String jobId, String name, String location, String path, String format,
                long bytes, int files, int parts, long timestamp) {
            this.direction = direction;
            this.jobId = jobId;
            this.name = name;
            this.location = location;
            this.path = path;
            this.format = format;
            this.bytes = bytes;
            this.files = files;
            this.parts = parts;
            this.timestamp = timestamp;
        }

        public String getDirection() {
            return direction;
        }

        public boolean isOutput() {
            return "output".equals(direction);
        }

        public String getJobId() {
            return jobId;
        }

        public String getName() {
            return name;
        }

        public String getLocation() {
            return location;
        }

        public String getPath() {
            return path;
        }

        public String getFormat() {
            return format;
        }

        public long getBytes() {
            return bytes;
        }

        /** The size as a person reads it: {@code 4.1 MB}. */
        public String getSize() {
            return Formats.size(bytes);
        }

        public int getFiles() {
            return files;
        }

        public int getParts() {
            return parts;
        }

        public long getTimestamp() {
            return timestamp;
        }
    }

    /** Adds {@code transfer} to the build's action, creating the action on the first; the caller saves the build. */
    public static void add(Run<?, ?> run, Transfer transfer) {
        CodePipelineArtifactsAction action;
        synchronized (run) {
            action = run.getAction(CodePipelineArtifactsAction.class);
            if (action == null) {
                action = new CodePipelineArtifactsAction();
                run.addAction(action);
            }
        }
        action.transfers.add(transfer);
    }

    /** The output artifacts of {@code jobId} that {@code run} uploaded; empty when it uploaded none. */
    public static Set<String> uploadedOutputs(Run<?, ?> run, @CheckForNull String jobId) {
        CodePipelineArtifactsAction action = run.getAction(CodePipelineArtifactsAction.class);
        return action == null ? Set.of() : action.uploadedOutputs(jobId);
    }

    /** The names of the output artifacts uploaded for {@code jobId}, in the order they were uploaded. */
    public Set<String> uploadedOutputs(@CheckForNull String jobId) {
        Set<String> names = new LinkedHashSet<>();
        for (Transfer transfer : transfers) {
            if (transfer.isOutput() && transfer.jobId != null && transfer.jobId.equals(jobId)) {
                names.add(transfer.name);
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** A build.xml written without the list still loads. */
    private Object readResolve() {
        if (transfers == null) {
            transfers = new CopyOnWriteArrayList<>();
        }
        return this;
    }

    public List<Transfer> getTransfers() {
        return Collections.unmodifiableList(transfers);
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    /** Shown through summary.jelly on the build page, not as a side-panel link. */
    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return Messages.CodePipelineArtifactsAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
