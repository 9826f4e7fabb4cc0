package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.RootAction;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.codepipeline.core.worker.ExecutionIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The links of the custom action type: {@code <jenkins>/codepipeline/project/{Config:ProjectName}} opens the job
 * whose trigger takes that value, {@code <jenkins>/codepipeline/build/{ExternalExecutionId}} the build that the
 * id names. An unknown value, and a job the user may not read (even one the user may discover), answer 404 alike,
 * so that a link never tells whether a job exists.
 *
 * <p>A {@link RootAction}, not an {@code UnprotectedRootAction}: Jenkins asks for Overall/Read first, so someone who
 * follows the link from the AWS console without a session, on a Jenkins whose anonymous users may not read it, is
 * sent to Jenkins' own login and back instead of getting a 404 that tells nothing; that is the only answer other than
 * a redirect or 404, and the lookup is never reachable without Overall/Read. A job whose trigger does not poll (the
 * job is disabled, or the branch is not one that polls) is still found by its value.
 */
@Extension
public final class CodePipelineRedirects implements RootAction {
    static final String URL_NAME = "codepipeline";
    private static final Pattern QUERY_VALUE = Pattern.compile("[A-Za-z0-9_-]{1,20}");

    @Override
    public String getIconFileName() {
        return null; // not in the side panel
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /**
     * {@code /codepipeline/project/<value>}: the job whose trigger takes jobs with that query value, else (for a value
     * no trigger names) the job whose trigger takes every job of its type. Optional {@code ?region=} narrows the
     * choice. When several jobs the user may read remain (the same value in two regions or for two action types),
     * a page lists them; the link cannot say which action type it came from.
     */
    public HttpResponse doProject(StaplerRequest2 req) {
        String value = singleToken(req.getRestOfPath());
        if (value == null || !QUERY_VALUE.matcher(value).matches()) {
            return HttpResponses.notFound();
        }
        String region = Util.fixEmptyAndTrim(req.getParameter("region"));
        List<TriggerRegistry.Evaluation> named = new ArrayList<>();
        List<TriggerRegistry.Evaluation> catchAll = new ArrayList<>();
        for (TriggerRegistry.Evaluation evaluation : TriggerRegistry.get().current()) {
            if (evaluation.identity() == null || region != null && !region.equals(evaluation.identity().region())) {
                continue;
            }
            String triggerValue = evaluation.identity().value();
            if (value.equals(triggerValue)) {
                named.add(evaluation);
            } else if (triggerValue == null && evaluation.polls()) {
                catchAll.add(evaluation);
            }
        }
        List<TriggerRegistry.Evaluation> candidates = named.isEmpty() ? catchAll : named;
        // Jobs that poll first; a duplicate (a configuration error) still leads to its jobs.
        Map<Job<?, ?>, TriggerRegistry.Evaluation> jobs = new LinkedHashMap<>();
        candidates.stream().filter(TriggerRegistry.Evaluation::polls).forEach(e -> jobs.putIfAbsent(e.job(), e));
        if (jobs.isEmpty()) {
            candidates.forEach(e -> jobs.putIfAbsent(e.job(), e));
        }
        List<ProjectChoice.Choice> readable = new ArrayList<>();
        for (Map.Entry<Job<?, ?>, TriggerRegistry.Evaluation> entry : jobs.entrySet()) {
            Job<?, ?> job = entry.getKey();
            if (job.hasPermission(Item.READ)) {
                readable.add(new ProjectChoice.Choice(job, entry.getValue()));
            }
        }
        if (readable.size() == 1) {
            return HttpResponses.redirectViaContextPath(readable.get(0).getUrl());
        }
        if (readable.size() > 1) {
            return HttpResponses.forwardToView(new ProjectChoice(value, readable), "index");
        }
        return HttpResponses.notFound(); // unknown, or not readable by this user: the same answer
    }

    /** {@code /codepipeline/build/<externalExecutionId>}: the build that a trigger-started build's id names. */
    public HttpResponse doBuild(StaplerRequest2 req) {
        String id = singleToken(req.getRestOfPath());
        Optional<ExecutionIds.BuildReference> reference = id == null ? Optional.empty() : ExecutionIds.decode(id);
        if (reference.isEmpty()) {
            return HttpResponses.notFound();
        }
        Job<?, ?> job;
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            job = Jenkins.get().getItemByFullName(reference.get().jobFullName(), Job.class);
        }
        if (job == null) {
            return HttpResponses.notFound();
        }
        if (!job.hasPermission(Item.READ)) {
            return HttpResponses.notFound(); // as for a job that does not exist, even for users who may discover it
        }
        Run<?, ?> run = job.getBuildByNumber(reference.get().buildNumber());
        if (run == null) {
            return HttpResponses.notFound();
        }
        return HttpResponses.redirectViaContextPath(run.getUrl());
    }

    /** The one path segment after the method's name; null for none or more. */
    @CheckForNull
    private static String singleToken(@CheckForNull String restOfPath) {
        if (restOfPath == null) {
            return null;
        }
        String token = restOfPath.startsWith("/") ? restOfPath.substring(1) : restOfPath;
        if (token.endsWith("/")) {
            token = token.substring(0, token.length() - 1);
        }
        return token.isEmpty() || token.contains("/") ? null : token;
    }

    /** The page that lists the jobs a value could mean. */
    public static final class ProjectChoice {
        private final String value;
        private final List<Choice> choices;

        ProjectChoice(String value, List<Choice> choices) {
            this.value = value;
            this.choices = choices;
        }

        public String getValue() {
            return value;
        }

        public List<Choice> getChoices() {
            return choices;
        }

        /** One job. */
        public static final class Choice {
            private final Job<?, ?> job;
            private final TriggerRegistry.Evaluation evaluation;

            Choice(Job<?, ?> job, TriggerRegistry.Evaluation evaluation) {
                this.job = job;
                this.evaluation = evaluation;
            }

            public String getUrl() {
                return job.getUrl();
            }

            public String getName() {
                return job.getFullDisplayName();
            }

            public String getDescription() {
                return evaluation.identity().describe();
            }
        }
    }
}
