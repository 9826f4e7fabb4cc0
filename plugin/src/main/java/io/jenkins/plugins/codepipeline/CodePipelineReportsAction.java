package io.jenkins.plugins.codepipeline;

import hudson.model.Run;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.RunAction2;

/**
 * The CodePipeline results a build reported, shown on the build page (summary.jelly). A build may report several
 * jobs, or one job's continuation; each report adds a line. Holds ids and variable names only, never values.
 */
public final class CodePipelineReportsAction implements RunAction2 {
    private final List<Report> reports = new ArrayList<>();
    private transient Run<?, ?> run;

    /**
     * One report.
     *
     * @param result        "success" or "failure"
     * @param jobId         the CodePipeline job
     * @param region        where it was sent
     * @param requestId     the AWS request id of the answer
     * @param outcome       "delivered" or "delivered, answer lost"
     * @param variableNames output variables published, names only
     * @param timestamp     when, in epoch milliseconds
     */
    public record Report(String result, String jobId, String region, String requestId, String outcome,
            List<String> variableNames, long timestamp) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Report {
            variableNames = variableNames == null ? List.of() : List.copyOf(variableNames);
        }
    }

    /** Adds {@code report} to the build's action, creating the action on the first report, and saves the build. */
    public static void record(Run<?, ?> run, Report report) throws IOException {
        CodePipelineReportsAction action;
        synchronized (run) {
            action = run.getAction(CodePipelineReportsAction.class);
            if (action == null) {
                action = new CodePipelineReportsAction();
                run.addAction(action);
            }
        }
        synchronized (action) {
            action.reports.add(report);
        }
        run.save();
    }

    public synchronized List<Report> getReports() {
        return List.copyOf(reports);
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
