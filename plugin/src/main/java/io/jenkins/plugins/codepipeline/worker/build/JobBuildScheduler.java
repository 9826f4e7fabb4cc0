package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Action;
import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.ParameterDefinition;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Queue;
import hudson.model.StringParameterValue;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.worker.JobEnvironment;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import jenkins.model.queue.ItemDeletion;

/**
 * Starts the build of an acknowledged CodePipeline job: records the job first (journal entry and job data), then
 * queues a build of the Jenkins job with a cause naming the pipeline, execution, stage and action, the job's data
 * ({@link CodePipelineJobAction}, which keeps it from being merged with another job's queue item) and, for a
 * parameterized job, its parameter defaults with every {@code CODEPIPELINE_*} parameter set to the job's value. A
 * job that cannot be queued is failed with {@code ConfigurationError} right away, saying why.
 */
public final class JobBuildScheduler {
    private static final Logger LOGGER = Logger.getLogger(JobBuildScheduler.class.getName());

    private JobBuildScheduler() {
    }

    /**
     * Before AcknowledgeJob (the trigger's {@code PollCycle.Subscriber.beforeAccept}): records the job as pending, so
     * that a crash right after the acknowledgement does not lose it. After a restart, a pending job that has no build
     * gets a failure ("Jenkins stopped while taking the job"), which CodePipeline refuses harmlessly when the
     * acknowledgement never went through.
     *
     * @throws IllegalStateException when the record cannot be written: the job must then not be acknowledged
     */
    public static void prepare(@NonNull Job<?, ?> job, @NonNull ReceivedJob received,
            @NonNull JobConnection connection) {
        try {
            InFlightJobs.get().pending(job, received, connection);
        } catch (IOException e) {
            throw new IllegalStateException("Could not record CodePipeline job " + received.jobId() + " for "
                    + job.getFullName() + " before acknowledging it: " + e.getMessage(), e);
        }
    }

    /**
     * AcknowledgeJob did not make a {@linkplain #prepare prepared} job ours (the trigger's
     * {@code PollCycle.Subscriber.notAccepted}): its pending record is dropped. Never throws.
     *
     * @param reason why, for the log
     */
    public static void notAcknowledged(@NonNull ReceivedJob received, @NonNull String reason) {
        try {
            InFlightJobs.get().notTaken(received.jobId());
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not drop CodePipeline job " + received.jobId() + " (" + reason + ")", e);
        }
    }

    /**
     * Records the job in {@link InFlightJobs} (its data, and its entry unless {@link #prepare} wrote it), then
     * schedules a build of {@code job}. Never throws: a job that cannot be scheduled is reported
     * {@code ConfigurationError} right away (in the background) and leaves the record.
     *
     * @param job               the Jenkins job whose trigger received the CodePipeline job
     * @param received          the acknowledged job; holds nothing secret
     * @param connection        where its result goes
     * @param unstableAsSuccess whether an UNSTABLE build reports success
     * @return the id of the queue item that builds the job; 0 when no build could be queued (the job is being failed)
     */
    public static long schedule(@NonNull Job<?, ?> job, @NonNull ReceivedJob received, @NonNull JobConnection connection,
            boolean unstableAsSuccess) {
        return schedule(job, received, connection, unstableAsSuccess, false);
    }

    /**
     * As {@link #schedule(Job, ReceivedJob, JobConnection, boolean)}, with the live link.
     *
     * @param reportProgress whether the build reports progress when it starts (the trigger's option, resolved)
     */
    public static long schedule(@NonNull Job<?, ?> job, @NonNull ReceivedJob received, @NonNull JobConnection connection,
            boolean unstableAsSuccess, boolean reportProgress) {
        InFlightJobs inFlight = InFlightJobs.get();
        CodePipelineJobAction action;
        try {
            action = new CodePipelineJobAction(received, connection, unstableAsSuccess, reportProgress);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not take CodePipeline job " + received.jobId() + " for "
                    + job.getFullName(), e);
            // Recorded first, so that a crash while the failure is sent does not lose the job.
            inFlight.acknowledgedWithoutData(job, received, connection);
            failUnscheduled(inFlight, received.jobId(), connection, job, Messages.Scheduler_Unexpected(
                    job.getFullName(), String.valueOf(e.getMessage())));
            return 0;
        }
        inFlight.acknowledged(job, action);
        return enqueue(job, action, inFlight);
    }

    /**
     * Queues a build for a recorded job (also after a restart, with the job's stored data: a request for a job that
     * is already in the queue joins that item rather than adding one). Fails the job when it cannot be queued.
     *
     * @return the queue item's id; 0 when it could not be queued (the job is being failed)
     */
    static long enqueue(@NonNull Job<?, ?> job, @NonNull CodePipelineJobAction action, @NonNull InFlightJobs inFlight) {
        String why;
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            why = whyNotSchedulable(job);
            if (why == null) {
                // A request for a job already in the queue joins its item. Looked up first, with the queue's lock
                // held: merged by the queue, the request's cause would be folded into the item's a second time.
                AtomicReference<Queue.Item> queued = new AtomicReference<>();
                Queue.withLock(() -> {
                    Queue.Item existing = StartupRecovery.findQueued(job, action.getJobId());
                    queued.set(existing != null ? existing
                            : ParameterizedJobMixIn.scheduleBuild2(job, 0, actions(job, action)));
                });
                Queue.Item item = queued.get();
                if (item != null) {
                    inFlight.queued(action.getJobId(), item.getId());
                    LOGGER.fine(() -> "Queued " + job.getFullName() + " for " + action + " as queue item " + item.getId());
                    return item.getId();
                }
                why = Messages.Scheduler_Refused(job.getFullName());
            }
        } catch (RuntimeException | LinkageError e) {
            LOGGER.log(Level.WARNING, "Could not queue a build of " + job.getFullName() + " for " + action, e);
            why = Messages.Scheduler_Unexpected(job.getFullName(), String.valueOf(e.getMessage()));
        }
        String reason = why;
        LOGGER.warning(() -> "CodePipeline job " + action.getJobId() + " is failed: " + reason);
        failUnscheduled(inFlight, action.getJobId(), action.getConnection(), job, reason);
        return 0;
    }

    private static void failUnscheduled(InFlightJobs inFlight, String jobId, JobConnection connection, Job<?, ?> job,
            String reason) {
        if (inFlight.claim(jobId, false)) {
            AutomaticReport.failInBackground(inFlight, jobId, connection, job, FailureType.CONFIGURATION_ERROR, reason);
        }
    }

    /** Why a build of the job cannot be queued now, or null when it can. */
    @CheckForNull
    static String whyNotSchedulable(Job<?, ?> job) {
        String name = job.getFullName();
        if (!(job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> parameterized)) {
            return Messages.Scheduler_NotTriggerable(name);
        }
        if (ItemDeletion.contains(job) || Jenkins.get().getItemByFullName(name, Job.class) != job) {
            return Messages.Deleted(name);
        }
        if (parameterized.isDisabled()) {
            return Messages.Scheduler_Disabled(name);
        }
        if (!job.isBuildable()) {
            return Messages.Scheduler_NotBuildable(name);
        }
        return null;
    }

    /** The cause, the job's data and, for a parameterized job, its parameters. */
    static Action[] actions(Job<?, ?> job, CodePipelineJobAction action) {
        List<Action> actions = new ArrayList<>();
        actions.add(new CauseAction(CodePipelineJobCause.of(action)));
        actions.add(action);
        ParametersDefinitionProperty property = job.getProperty(ParametersDefinitionProperty.class);
        if (property != null) {
            actions.add(new ParametersAction(parameters(property, action.getVariables())));
        }
        return actions.toArray(new Action[0]);
    }

    /** Each parameter's default, except that a {@code CODEPIPELINE_*} parameter gets the job's value when it has one. */
    static List<ParameterValue> parameters(ParametersDefinitionProperty property, Map<String, String> variables) {
        List<ParameterValue> values = new ArrayList<>();
        for (ParameterDefinition definition : property.getParameterDefinitions()) {
            String name = definition.getName();
            if (name.startsWith(JobEnvironment.PREFIX) && variables.containsKey(name)) {
                values.add(new StringParameterValue(name, variables.get(name)));
                continue;
            }
            try {
                ParameterValue value = definition.getDefaultParameterValue();
                if (value != null) {
                    values.add(value);
                }
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "no default for parameter " + name, e);
            }
        }
        return values;
    }
}
