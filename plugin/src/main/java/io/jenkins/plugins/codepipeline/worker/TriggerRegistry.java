package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Item;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.triggers.Trigger;
import hudson.util.FormValidation;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.JobQuery;
import io.jenkins.plugins.codepipeline.core.worker.PollKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.metadata.PrimaryInstanceMetadataAction;

/**
 * Every started {@link CodePipelineJobsTrigger} of this controller, and what each may do: poll, or not and why. Two
 * triggers with the same region, endpoint, action type and query value are a configuration error on both, and
 * neither polls; a trigger without value is refused while another trigger of its action type and region has one.
 * Only triggers whose job could take jobs count: a disabled job, or a branch that does not poll, is not a duplicate.
 */
@Extension
public final class TriggerRegistry {
    private static final Logger LOGGER = Logger.getLogger(TriggerRegistry.class.getName());
    /** How long a trigger may be out of its job's triggers before it is forgotten (a job being created, reloaded). */
    static final long DETACHED_GRACE_MILLIS = 30_000;

    /** How old the last evaluation may be for a page that shows it, when nothing changed since it was made. */
    static final long PAGE_MAX_AGE_MILLIS = 10_000;

    /** Started triggers, by identity, with the time they were first seen detached from their job (0: attached). */
    private final Map<CodePipelineJobsTrigger, Long> triggers = Collections.synchronizedMap(new IdentityHashMap<>());
    /** The same triggers by job, kept with {@link #triggers} (guarded by it): a job's page asks in O(1). */
    private final Map<Job<?, ?>, List<CodePipelineJobsTrigger>> byJob = new IdentityHashMap<>();
    /** Counts the changes of triggers and jobs, so that pages know whether the last evaluation still holds. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Snapshot lastEvaluation = new Snapshot(List.of(), -1, 0);

    /** An evaluation, the generation it was made at, and when. */
    private record Snapshot(List<Evaluation> evaluations, long generation, long madeAt) {
    }
    /** The reason last logged per trigger ("" while it polls). */
    private final Map<CodePipelineJobsTrigger, String> logged = new IdentityHashMap<>();

    public static TriggerRegistry get() {
        return ExtensionList.lookupSingleton(TriggerRegistry.class);
    }

    /** Null while Jenkins is not there (a trigger started or stopped during shutdown). */
    @CheckForNull
    static TriggerRegistry getOrNull() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null) {
            return null;
        }
        try {
            return get();
        } catch (IllegalStateException e) {
            LOGGER.log(Level.FINE, "no trigger registry", e);
            return null;
        }
    }

    void register(CodePipelineJobsTrigger trigger) {
        synchronized (triggers) {
            triggers.put(trigger, 0L);
            Job<?, ?> job = trigger.getJob();
            if (job != null) {
                List<CodePipelineJobsTrigger> ofJob = byJob.computeIfAbsent(job, j -> new ArrayList<>(1));
                if (ofJob.stream().noneMatch(t -> t == trigger)) {
                    ofJob.add(trigger);
                }
            }
        }
        changed();
        LOGGER.fine(() -> "started " + trigger);
    }

    void unregister(CodePipelineJobsTrigger trigger) {
        boolean removed;
        synchronized (triggers) {
            removed = remove(trigger);
        }
        if (removed) {
            changed();
            LOGGER.fine(() -> "stopped " + trigger);
        }
    }

    /** Its job was deleted: {@link Trigger#stop} is not called then. */
    void unregisterJob(Job<?, ?> job) {
        synchronized (triggers) {
            triggers.keySet().removeIf(t -> t.getJob() == job);
            byJob.remove(job);
        }
        changed();
    }

    /** Takes a trigger out of both maps; the caller holds the lock of {@link #triggers}. */
    private boolean remove(CodePipelineJobsTrigger trigger) {
        if (triggers.remove(trigger) == null) {
            return false;
        }
        byJob.entrySet().removeIf(e -> e.getValue().removeIf(t -> t == trigger) && e.getValue().isEmpty());
        return true;
    }

    /** A trigger or a job changed (saved, disabled, renamed): the next page evaluates again. */
    void changed() {
        generation.incrementAndGet();
    }

    /** Whether the job has a started trigger: cheap, for the job page's actions. */
    boolean hasTriggers(Job<?, ?> job) {
        synchronized (triggers) {
            List<CodePipelineJobsTrigger> ofJob = byJob.get(job);
            return ofJob != null && !ofJob.isEmpty();
        }
    }

    /** The started triggers, in no particular order. */
    List<CodePipelineJobsTrigger> started() {
        synchronized (triggers) {
            return new ArrayList<>(triggers.keySet());
        }
    }

    /** The last evaluation made (by a poll, a page): cheap, for the administrative monitor. */
    List<Evaluation> lastEvaluation() {
        return lastEvaluation.evaluations();
    }

    /**
     * For pages and links: the last evaluation (each poll cycle makes one) when no trigger or job changed since and
     * it is at most {@link #PAGE_MAX_AGE_MILLIS} old; else a new one.
     */
    List<Evaluation> current() {
        Snapshot last = lastEvaluation;
        if (last.generation() == generation.get()
                && System.currentTimeMillis() - last.madeAt() <= PAGE_MAX_AGE_MILLIS) {
            return last.evaluations();
        }
        return evaluate();
    }

    /** {@link #current()} for one job: nothing to evaluate for a job without trigger. */
    List<Evaluation> current(Job<?, ?> job) {
        if (!hasTriggers(job)) {
            return List.of();
        }
        return current().stream().filter(e -> e.job() == job).toList();
    }

    /** The evaluations of one job's triggers. */
    List<Evaluation> evaluate(Job<?, ?> job) {
        return evaluate().stream().filter(e -> e.job() == job).toList();
    }

    /** What every trigger may do now. Forgets triggers no longer part of their job. */
    List<Evaluation> evaluate() {
        long madeAtGeneration = generation.get();
        long madeAt = System.currentTimeMillis();
        List<Evaluation> result = new ArrayList<>();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            long now = System.currentTimeMillis();
            List<Candidate> candidates = new ArrayList<>();
            for (CodePipelineJobsTrigger trigger : started()) {
                Job<?, ?> job = trigger.getJob();
                if (job == null) {
                    continue;
                }
                if (!isAttached(trigger, job)) {
                    forgetIfDetachedTooLong(trigger, now);
                    continue;
                }
                triggers.replace(trigger, 0L);
                candidates.add(candidate(trigger, job));
            }
            // Duplicates and refused catch-all triggers, among the triggers that could poll.
            Map<Identity, List<Candidate>> byIdentity = new LinkedHashMap<>();
            for (Candidate c : candidates) {
                if (c.identity != null && (c.state == State.POLLING || c.state == State.NOT_BUILDABLE)) {
                    byIdentity.computeIfAbsent(c.identity, k -> new ArrayList<>()).add(c);
                }
            }
            for (Candidate c : candidates) {
                if (c.state != State.POLLING && c.state != State.NOT_BUILDABLE) {
                    result.add(c.evaluation(List.of()));
                    continue;
                }
                List<Candidate> same = byIdentity.get(c.identity);
                if (same != null && same.size() > 1) {
                    List<Job<?, ?>> others = same.stream().filter(o -> o != c).map(o -> o.job)
                            .collect(Collectors.toList());
                    result.add(new Evaluation(c.trigger, c.job, State.DUPLICATE, null, c.identity, c.key, others));
                    continue;
                }
                if (c.identity.value() == null) {
                    List<Job<?, ?>> valued = candidates.stream()
                            .filter(o -> o.identity != null && o.identity.value() != null
                                    && o.identity.sameTypeAndPlace(c.identity)
                                    && (o.state == State.POLLING || o.state == State.NOT_BUILDABLE))
                            .map(o -> o.job).distinct().collect(Collectors.toList());
                    if (!valued.isEmpty()) {
                        result.add(new Evaluation(c.trigger, c.job, State.REFUSED_CATCH_ALL, null, c.identity, c.key,
                                valued));
                        continue;
                    }
                }
                result.add(c.evaluation(List.of()));
            }
        }
        lastEvaluation = new Snapshot(List.copyOf(result), madeAtGeneration, madeAt);
        logChanges(result);
        return result;
    }

    /** A trigger that stops or starts polling, or changes its reason, is logged once, not once per poll. */
    private void logChanges(List<Evaluation> evaluations) {
        Map<CodePipelineJobsTrigger, String> now = new IdentityHashMap<>();
        for (Evaluation e : evaluations) {
            String reason = e.reasonForLog();
            now.put(e.trigger(), reason == null ? "" : reason);
        }
        synchronized (logged) {
            for (Evaluation e : evaluations) {
                String reason = now.get(e.trigger());
                String before = logged.get(e.trigger());
                if (!reason.equals(before) && !(before == null && reason.isEmpty())) {
                    if (reason.isEmpty()) {
                        LOGGER.log(Level.INFO, "The CodePipeline trigger of {0} polls for {1}",
                                new Object[] {e.job().getFullName(), e.trigger().describe()});
                    } else {
                        LOGGER.log(Level.INFO, "The CodePipeline trigger of {0} ({1}): {2}",
                                new Object[] {e.job().getFullName(), e.trigger().describe(), reason});
                    }
                }
            }
            logged.clear();
            logged.putAll(now);
        }
    }

    /**
     * For the form: would {@code candidate}, configured on {@code job}, duplicate another trigger, or be refused?
     * Names other jobs only to users who may read them.
     */
    FormValidation checkConflicts(CodePipelineJobsTrigger candidate, @CheckForNull Job<?, ?> job) {
        Identity identity;
        try {
            identity = Identity.of(candidate);
        } catch (IllegalArgumentException e) {
            return FormValidation.ok(); // the other fields' checks say what is wrong
        }
        List<Evaluation> evaluations = current();
        List<Job<?, ?>> duplicates = new ArrayList<>();
        List<Job<?, ?>> valued = new ArrayList<>();
        for (Evaluation e : evaluations) {
            if (e.job() == job || !e.counts()) {
                continue;
            }
            Identity other;
            try {
                other = Identity.of(e.trigger());
            } catch (IllegalArgumentException x) {
                continue;
            }
            if (other.equals(identity)) {
                duplicates.add(e.job());
            } else if (identity.value() == null && other.value() != null && other.sameTypeAndPlace(identity)) {
                valued.add(e.job());
            }
        }
        if (!duplicates.isEmpty()) {
            return FormValidation.error(Messages.TriggerRegistry_Duplicate(identity.describe(), readableNames(duplicates)));
        }
        if (!valued.isEmpty()) {
            return FormValidation.warning(Messages.TriggerRegistry_RefusedCatchAll(identity.type().describe(),
                    identity.region(), readableNames(valued)));
        }
        if (identity.value() == null) {
            return FormValidation.ok(Messages.TriggerRegistry_CatchAll(identity.type().describe()));
        }
        return FormValidation.ok();
    }

    /** Names of the jobs the current user may read; the others are counted, not named. */
    private static String readableNames(List<Job<?, ?>> jobs) {
        List<String> names = new ArrayList<>();
        int hidden = 0;
        for (Job<?, ?> j : jobs.stream().distinct().toList()) {
            if (j.hasPermission(Item.READ)) {
                names.add(j.getFullName());
            } else {
                hidden++;
            }
        }
        if (hidden > 0) {
            names.add(hidden == 1 ? Messages.TriggerRegistry_OneOtherJob() : Messages.TriggerRegistry_OtherJobs(hidden));
        }
        return String.join(", ", names);
    }

    private void forgetIfDetachedTooLong(CodePipelineJobsTrigger trigger, long now) {
        synchronized (triggers) {
            Long since = triggers.get(trigger);
            if (since == null) {
                return;
            }
            if (since == 0L) {
                triggers.put(trigger, now);
            } else if (now - since > DETACHED_GRACE_MILLIS) {
                remove(trigger);
                changed();
                LOGGER.log(Level.FINE, "forgot {0}: no longer one of its job's triggers", trigger);
            }
        }
    }

    /**
     * Whether the trigger is still one of its job's triggers, and the job still the item of its name: deleted jobs
     * are not stopped, a Jenkinsfile's {@code properties} may drop triggers without stopping them, and a job keeps
     * one trigger of each kind.
     */
    private static boolean isAttached(CodePipelineJobsTrigger trigger, Job<?, ?> job) {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null || jenkins.getItemByFullName(job.getFullName(), Job.class) != job) {
            return false;
        }
        if (!(job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> parameterized)) {
            return false;
        }
        for (Trigger<?> t : parameterized.getTriggers().values()) {
            if (t == trigger) {
                return true;
            }
        }
        return false;
    }

    private static Candidate candidate(CodePipelineJobsTrigger trigger, Job<?, ?> job) {
        ParameterizedJobMixIn.ParameterizedJob<?, ?> parameterized = (ParameterizedJobMixIn.ParameterizedJob<?, ?>) job;
        // A job that does not poll keeps its identity for display and the project link, and is no competitor.
        if (parameterized.isDisabled()) {
            return new Candidate(trigger, job, State.JOB_DISABLED, Messages.TriggerRegistry_JobDisabled(),
                    identityOrNull(trigger), null);
        }
        String branchProblem = branchProblem(trigger, job);
        if (branchProblem != null) {
            return new Candidate(trigger, job, State.BRANCH_NOT_SELECTED, branchProblem, identityOrNull(trigger), null);
        }
        Identity identity;
        PollKey key;
        try {
            identity = Identity.of(trigger);
            key = trigger.pollKey();
        } catch (IllegalArgumentException e) {
            return new Candidate(trigger, job, State.INVALID, Messages.TriggerRegistry_Invalid(e.getMessage()), null,
                    null);
        }
        if (!job.isBuildable()) {
            return new Candidate(trigger, job, State.NOT_BUILDABLE, Messages.TriggerRegistry_NotBuildable(), identity,
                    key);
        }
        return new Candidate(trigger, job, State.POLLING, null, identity, key);
    }

    @CheckForNull
    private static Identity identityOrNull(CodePipelineJobsTrigger trigger) {
        try {
            return Identity.of(trigger);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Null when the job may poll; else why this branch of a multibranch project does not. */
    @CheckForNull
    private static String branchProblem(CodePipelineJobsTrigger trigger, Job<?, ?> job) {
        SCMHead head = SCMHead.HeadByItem.findHead(job);
        if (head == null) {
            return null; // not a branch of a multibranch project
        }
        List<String> patterns = trigger.branchPatterns();
        if (patterns.isEmpty()) {
            return job.getAction(PrimaryInstanceMetadataAction.class) != null ? null
                    : Messages.TriggerRegistry_NotPrimaryBranch(head.getName());
        }
        for (String pattern : patterns) {
            if (CodePipelineJobsTrigger.matchesGlob(pattern, head.getName())) {
                return null;
            }
        }
        return Messages.TriggerRegistry_BranchNotNamed(head.getName(), String.join(" ", patterns));
    }

    /** What a trigger may do. */
    enum State {
        /** Polls each interval. */
        POLLING(true, true),
        /** Its job is not buildable now (held off until saved): counted for duplicates, takes no job. */
        NOT_BUILDABLE(false, true),
        JOB_DISABLED(false, false),
        BRANCH_NOT_SELECTED(false, false),
        INVALID(false, false),
        DUPLICATE(false, true),
        REFUSED_CATCH_ALL(false, true);

        final boolean polls;
        /** Whether other triggers see it as a competitor. */
        final boolean counts;

        State(boolean polls, boolean counts) {
            this.polls = polls;
            this.counts = counts;
        }
    }

    /**
     * One trigger's state.
     *
     * @param detail    why it does not poll, for the states that are not about other jobs; null otherwise
     * @param identity  what it must not share (kept for a disabled job or a branch that does not poll, which share
     *                  it with nobody); null when its configuration is invalid
     * @param key       what it polls; null when its configuration is invalid or it cannot poll at all
     * @param conflicts the other jobs of a duplicate or of a refusal
     */
    record Evaluation(CodePipelineJobsTrigger trigger, Job<?, ?> job, State state, String detail,
            Identity identity, PollKey key, List<Job<?, ?>> conflicts) {
        boolean polls() {
            return state.polls;
        }

        boolean counts() {
            return state.counts;
        }

        /**
         * Why it does not poll, for the current user: other jobs are named only to those who may read them. Null
         * when it polls.
         */
        @CheckForNull
        String reason() {
            return switch (state) {
                case POLLING -> null;
                case DUPLICATE -> Messages.TriggerRegistry_Duplicate(identity.describe(), readableNames(conflicts));
                case REFUSED_CATCH_ALL -> Messages.TriggerRegistry_RefusedCatchAll(identity.type().describe(),
                        identity.region(), readableNames(conflicts));
                default -> detail;
            };
        }

        /** Why it does not poll, naming every job: for the system log. */
        @CheckForNull
        String reasonForLog() {
            return switch (state) {
                case POLLING -> null;
                case DUPLICATE -> Messages.TriggerRegistry_Duplicate(identity.describe(), allNames(conflicts));
                case REFUSED_CATCH_ALL -> Messages.TriggerRegistry_RefusedCatchAll(identity.type().describe(),
                        identity.region(), allNames(conflicts));
                default -> detail;
            };
        }
    }

    private static String allNames(List<Job<?, ?>> jobs) {
        return jobs.stream().map(Job::getFullName).distinct().collect(Collectors.joining(", "));
    }

    /**
     * What two triggers must not share: region, endpoint (null for the region's AWS endpoint), action type and query
     * value (null for every job of the type).
     */
    record Identity(String region, String endpoint, ActionTypeId type, String value) {
        static Identity of(CodePipelineJobsTrigger trigger) {
            ActionTypeId type = trigger.actionType();
            JobQuery query = trigger.query();
            String endpoint = trigger.effectiveEndpointUrl();
            return new Identity(trigger.effectiveRegion(), endpoint == null ? null : endpoint.replaceAll("/+$", ""),
                    type, query.value());
        }

        boolean sameTypeAndPlace(Identity other) {
            return type.equals(other.type) && region.equals(other.region) && Objects.equals(endpoint, other.endpoint);
        }

        String describe() {
            return type.describe() + " " + (value == null ? "(every job)" : "'" + value + "'") + " in " + region
                    + (endpoint == null ? "" : " at " + endpoint);
        }
    }

    private static final class Candidate {
        final CodePipelineJobsTrigger trigger;
        final Job<?, ?> job;
        final State state;
        final String reason;
        final Identity identity;
        final PollKey key;

        Candidate(CodePipelineJobsTrigger trigger, Job<?, ?> job, State state, String reason, Identity identity,
                PollKey key) {
            this.trigger = trigger;
            this.job = job;
            this.state = state;
            this.reason = reason;
            this.identity = identity;
            this.key = key;
        }

        Evaluation evaluation(List<Job<?, ?>> conflicts) {
            return new Evaluation(trigger, job, state, reason, identity, key, conflicts);
        }
    }
}
