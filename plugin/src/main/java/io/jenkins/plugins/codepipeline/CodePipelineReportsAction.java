package io.jenkins.plugins.codepipeline;

import hudson.model.Run;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.RunAction2;

/**
 * The CodePipeline results a build reported, shown on the build page (summary.jelly). A build may report several
 * jobs, or one job's continuation; each report adds a line. Holds ids and variable names only, never values.
 */
public final class CodePipelineReportsAction implements RunAction2 {
    /** Copy-on-write: parallel branches may report while the build is being saved. */
    private List<Report> reports = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /**
     * One report. A plain class, not a record: Jenkins' XStream cannot read records back from build.xml.
     */
    public static final class Report implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String result;
        private final String jobId;
        private final String region;
        private final String requestId;
        private final String outcome;
        private final ArrayList<String> variableNames;
        private final long timestamp;

        /**
         * @param result        "success" or "failure"
         * @param jobId         the CodePipeline job
         * @param region        where it was sent
         * @param requestId     the AWS request id of the answer
         * @param outcome       "delivered" or "delivered, answer lost"
         * @param variableNames output variables published, names only
         * @param timestamp     when, in epoch milliseconds
         */
        public Report(String result, String jobId, String region, String requestId, String outcome,
                List<String> variableNames, long timestamp) {
            this.result = result;
            this.jobId = jobId;
            this.region = region;
            this.requestId = requestId;
            this.outcome = outcome;
            this.variableNames = variableNames == null ? new ArrayList<>() : new ArrayList<>(variableNames);
            this.timestamp = timestamp;
        }

        public String getResult() {
            return result;
        }

        public String getJobId() {
            return jobId;
        }

        public String getRegion() {
            return region;
        }

        public String getRequestId() {
            return requestId;
        }

        public String getOutcome() {
            return outcome;
        }

        public List<String> getVariableNames() {
            return Collections.unmodifiableList(variableNames);
        }

        /** The variable names as a person reads a list: {@code BUILD_URL, IMAGE_TAG}. */
        public String getVariableNamesText() {
            return String.join(", ", variableNames);
        }

        public long getTimestamp() {
            return timestamp;
        }
    }

    /** Adds {@code report} to the build's action, creating the action on the first report, and saves the build. */
    public static void record(Run<?, ?> run, Report report) throws IOException {
        add(run, report);
        run.save();
    }

    /**
     * Adds {@code report} to the build's action, creating the action on the first report, without saving the build:
     * the caller saves it once, with whatever else the report changed.
     */
    public static void add(Run<?, ?> run, Report report) {
        CodePipelineReportsAction action;
        synchronized (run) {
            action = run.getAction(CodePipelineReportsAction.class);
            if (action == null) {
                action = new CodePipelineReportsAction();
                run.addAction(action);
            }
        }
        action.reports.add(report);
    }

    /** A build.xml written without the list still loads. */
    private Object readResolve() {
        if (reports == null) {
            reports = new CopyOnWriteArrayList<>();
        }
        return this;
    }

    public List<Report> getReports() {
        return Collections.unmodifiableList(reports);
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
        return Messages.CodePipelineReportsAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
