package io.jenkins.plugins.codepipeline.core.worker;

import io.jenkins.plugins.codepipeline.core.AwsErrorMessages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One pass over every subscriber (a Jenkins trigger, the command-line worker). Subscribers with equal keys share
 * one PollForJobs whose batch is the sum of their free room and of the follow-up jobs they await, and none is made
 * when that is 0, so no job is taken that cannot start soon. The jobs received go to the subscribers with room, in
 * their order; a follow-up job a subscriber claims goes to it without room, and a new job that finds no room left is
 * not acknowledged (CodePipeline hands it out again). Keys are polled in
 * parallel on the caller's executor, by at most {@code parallelism} tasks, so that one slow region does not hold up
 * the others and a thousand keys do not take a thousand threads.
 *
 * <p>Each job is announced to the subscriber that is to take it before it is acknowledged
 * ({@link Subscriber#beforeAccept}), so that it is recorded before it is ours; then it is accepted, or, when it was
 * not acknowledged, dropped again ({@link Subscriber#notAccepted}).
 *
 * <p>Logging is for people: a failure is logged when it starts and when its message changes, not once per poll, and
 * a recovery once. A dropped job is one info line.
 */
public final class PollCycle {
    /** The error code of an outcome whose subscriber could not give credentials. */
    public static final String CREDENTIALS_UNAVAILABLE = "CredentialsUnavailable";

    /** One taker of jobs. Its key decides which poll it shares. */
    public interface Subscriber {
        PollKey key();

        /** How many more jobs it can take now; 0 or less for none. */
        int freeRoom();

        /** The credentials of its key; the first subscriber of a key is asked. A message says what is wrong. */
        AwsCredentialsProvider credentials() throws Exception;

        /**
         * Called before the job is acknowledged, on the subscriber that is to take it: record it durably as pending
         * (so that a crash right after the acknowledgement does not lose it). An exception keeps the job from being
         * acknowledged (CodePipeline hands it out again later).
         */
        default void beforeAccept(ReceivedJob job) {
        }

        /** The job is acknowledged, and this subscriber's: record it durably first, then start its work; must not
         *  throw. */
        void accept(ReceivedJob job);

        /** The job {@linkplain #beforeAccept prepared} was not acknowledged (another worker has it, or the call
         *  failed): drop what {@link #beforeAccept} recorded. Must not throw. */
        default void notAccepted(ReceivedJob job, String reason) {
        }

        /** After each poll of its key (success or failure). */
        default void polled(PollOutcome outcome, PollHealth health) {
        }

        /** What a received job is to this subscriber; see {@link #classify}. */
        enum FollowUp {
            /** A job that starts new work: it needs free room. */
            NEW_JOB,
            /** A follow-up job of one of this subscriber's own chains: taken without free room, then attached. */
            ATTACH,
            /** A follow-up job whose token another worker issued: never acknowledged. */
            LEAVE
        }

        /**
         * Asked for every job before it is acknowledged: {@link FollowUp#ATTACH} = a follow-up job of one of this
         * subscriber's own chains (acknowledge it even without free room, then {@link #attach} instead of
         * {@link #accept}); {@link FollowUp#LEAVE} = never acknowledge (a follow-up job naming another instance);
         * {@link FollowUp#NEW_JOB} = as any job (needs free room). Default NEW_JOB. Must not throw.
         */
        default FollowUp classify(ReceivedJob job) {
            return FollowUp.NEW_JOB;
        }

        /** Follow-up jobs this subscriber waits for: its key is polled while freeRoom() + awaitedFollowUps() > 0.
         *  Default 0. */
        default int awaitedFollowUps() {
            return 0;
        }

        /** An {@link FollowUp#ATTACH} job, acknowledged ({@link #beforeAccept} was called first, as for any job).
         *  Must not throw. */
        default void attach(ReceivedJob job) {
            accept(job);
        }
    }

    /** The most job ids remembered as left for another instance, so that each is logged once. */
    private static final int LEFT_REMEMBERED = 10_000;

    private final JobPoller poller;
    private final PollLog log;
    private final Clock clock;
    private final Map<PollKey, PollHealth> health = new ConcurrentHashMap<>();
    /** The last secret-flags problem logged per key, so that it is logged once per change. */
    private final Map<PollKey, String> catalogProblems = new ConcurrentHashMap<>();
    /** Jobs left for the instance that issued their token, already logged. */
    private final Set<String> leftLogged = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > LEFT_REMEMBERED;
                }
            }));

    public PollCycle(JobPoller poller, PollLog log, Clock clock) {
        this.poller = Objects.requireNonNull(poller, "poller");
        this.log = log == null ? PollLog.NONE : log;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Polls each key of these subscribers once and returns when every poll is done.
     *
     * @param executor    runs the polls (the caller's pool)
     * @param parallelism the most keys polled at once, 1 or more
     * @throws InterruptedException when interrupted while waiting: the polls still running are interrupted
     */
    public void runOnce(Collection<? extends Subscriber> subscribers, ExecutorService executor, int parallelism)
            throws InterruptedException {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism " + parallelism + " is below 1; give the number of keys "
                    + "that may be polled at once, such as 4");
        }
        Map<PollKey, List<Subscriber>> byKey = new LinkedHashMap<>();
        for (Subscriber subscriber : subscribers) {
            PollKey key = subscriber.key();
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(subscriber);
            }
        }
        // The health of keys nobody subscribes to any more is forgotten.
        health.keySet().retainAll(byKey.keySet());
        catalogProblems.keySet().retainAll(byKey.keySet());

        Queue<Group> work = new ConcurrentLinkedQueue<>();
        byKey.forEach((key, members) -> {
            Group group = Group.of(key, members, log);
            if (group.batch > 0) {
                work.add(group);
            }
        });
        if (work.isEmpty()) {
            return;
        }
        List<Future<?>> tasks = new ArrayList<>();
        try {
            for (int i = Math.min(parallelism, work.size()); i > 0; i--) {
                tasks.add(executor.submit(() -> drain(work)));
            }
            for (Future<?> task : tasks) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    log.warning("A CodePipeline poll failed unexpectedly: " + AwsErrorMessages.rootMessage(e));
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            tasks.forEach(task -> task.cancel(true));
            throw e;
        }
    }

    /** The health of every key polled so far, by key. */
    public Map<PollKey, PollHealth> health() {
        return Map.copyOf(health);
    }

    private void drain(Queue<Group> work) {
        for (Group group = work.poll(); group != null; group = work.poll()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                poll(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                finish(group, PollOutcome.failure(group.key, clock.instant(), e.getClass().getSimpleName(),
                        "Polling for jobs of " + group.key.describe() + " failed unexpectedly: "
                                + AwsErrorMessages.rootMessage(e) + ". Please report this to the plugin's issue "
                                + "tracker."));
            }
        }
    }

    private void poll(Group group) throws InterruptedException {
        AwsCredentialsProvider credentials;
        try {
            credentials = Objects.requireNonNull(group.members.get(0).credentials(), "no credentials were given");
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            String message = e.getMessage() == null || e.getMessage().isBlank()
                    ? "Could not get the credentials to poll for jobs of " + group.key.describe() + ": "
                            + AwsErrorMessages.rootMessage(e)
                    : e.getMessage();
            finish(group, PollOutcome.failure(group.key, clock.instant(), CREDENTIALS_UNAVAILABLE, message));
            return;
        }
        PollOutcome outcome = poller.poll(group.key, credentials,
                Math.min(group.batch, JobPoller.MAX_BATCH_SIZE), new HandOut(group));
        finish(group, outcome);
    }

    /**
     * Hands the jobs of one poll out. Each job is classified first: a follow-up job a member claims
     * ({@link Subscriber.FollowUp#ATTACH}) goes to that member without using room; one whose token another instance
     * issued ({@link Subscriber.FollowUp#LEAVE}) is left unacknowledged; any other job goes to the first member with
     * room left, or is left unacknowledged when none has any. The taker is chosen before the job is acknowledged, so
     * that it can record the job first; a job that is then not acknowledged gives its room back. Used by one poll's
     * thread only.
     */
    private final class HandOut implements AcknowledgedJobHandler {
        private final Group group;
        private final int[] left;
        private final Map<String, Integer> takers = new HashMap<>();
        private final Set<String> attaching = new HashSet<>();

        HandOut(Group group) {
            this.group = group;
            this.left = group.rooms.clone();
        }

        /** The first member with room left; -1 when none has any. */
        private int chooseTaker() {
            for (int i = 0; i < left.length; i++) {
                if (left[i] > 0) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public boolean take(ReceivedJob job) {
            boolean leave = false;
            for (int i = 0; i < group.members.size(); i++) {
                Subscriber.FollowUp kind;
                try {
                    kind = group.members.get(i).classify(job);
                } catch (RuntimeException e) {
                    log.warning("A subscriber of " + group.key.describe() + " could not classify job " + job.jobId()
                            + " (" + AwsErrorMessages.rootMessage(e) + "); it is taken as a new job.");
                    kind = Subscriber.FollowUp.NEW_JOB;
                }
                if (kind == Subscriber.FollowUp.ATTACH) {
                    takers.put(job.jobId(), i);
                    attaching.add(job.jobId());
                    return true;
                }
                leave |= kind == Subscriber.FollowUp.LEAVE;
            }
            if (leave) {
                if (leftLogged.add(job.jobId())) {
                    Optional<ContinuationTokens.Issued> issued = ContinuationTokens.parse(job.continuationToken());
                    log.info("Follow-up " + job.describe() + " of " + group.key.describe() + " is left for the "
                            + "Jenkins instance " + issued.map(ContinuationTokens.Issued::fingerprint)
                                    .orElse("(unknown)")
                            + " that issued its token; this worker never acknowledges it.");
                }
                return false;
            }
            int taker = chooseTaker();
            if (taker < 0) {
                log.fine("Job " + job.jobId() + " of " + group.key.describe() + " is not taken: no free room (the poll "
                        + "was for awaited follow-up jobs). CodePipeline hands it out again after its dispatch "
                        + "timeout.");
                return false;
            }
            left[taker]--;
            takers.put(job.jobId(), taker);
            return true;
        }

        private void giveBack(String jobId, int taker) {
            if (!attaching.remove(jobId)) {
                left[taker]++;
            }
        }

        @Override
        public void beforeAcknowledge(ReceivedJob job) {
            Integer chosen = takers.get(job.jobId());
            int taker;
            if (chosen == null) { // a poller that did not ask take()
                taker = Math.max(0, chooseTaker());
                left[taker]--;
                takers.put(job.jobId(), taker);
            } else {
                taker = chosen;
            }
            try {
                group.members.get(taker).beforeAccept(job);
            } catch (RuntimeException e) {
                takers.remove(job.jobId());
                giveBack(job.jobId(), taker);
                log.warning("Job " + job.jobId() + " of " + group.key.describe() + " is not acknowledged: it could "
                        + "not be recorded (" + AwsErrorMessages.rootMessage(e) + "). CodePipeline hands it out again "
                        + "after its dispatch timeout.");
                throw e;
            }
        }

        @Override
        public void acknowledged(ReceivedJob job) {
            Integer chosen = takers.remove(job.jobId());
            int taker;
            if (chosen == null) { // a poller that did not announce the job
                taker = Math.max(0, chooseTaker());
                left[taker]--;
            } else {
                taker = chosen;
            }
            boolean attach = attaching.remove(job.jobId());
            log.info("Received " + (attach ? "follow-up " : "") + job.describe() + " for " + group.key.describe());
            try {
                if (attach) {
                    group.members.get(taker).attach(job);
                } else {
                    group.members.get(taker).accept(job);
                }
            } catch (RuntimeException e) {
                log.warning("Job " + job.jobId() + " of " + group.key.describe() + " was acknowledged, but could not "
                        + "be " + (attach ? "attached to its build" : "started") + ": "
                        + AwsErrorMessages.rootMessage(e) + ". It times out in CodePipeline.");
            }
        }

        @Override
        public void notAcknowledged(ReceivedJob job, String reason) {
            Integer taker = takers.remove(job.jobId());
            if (taker == null) {
                return;
            }
            giveBack(job.jobId(), taker);
            try {
                group.members.get(taker).notAccepted(job, reason);
            } catch (RuntimeException e) {
                log.warning("A subscriber of " + group.key.describe() + " failed to drop job " + job.jobId()
                        + ", which was not acknowledged: " + AwsErrorMessages.rootMessage(e));
            }
        }
    }

    private void finish(Group group, PollOutcome outcome) {
        PollHealth previous = health.get(group.key);
        PollHealth next = PollHealth.next(previous, outcome);
        health.put(group.key, next);
        logChange(previous, next);
        for (DroppedJob dropped : outcome.dropped()) {
            log.info("Dropped job " + dropped.jobId() + " of " + group.key.describe() + ": " + dropped.reason());
        }
        logCatalogProblem(group.key, outcome);
        for (Subscriber member : group.members) {
            try {
                member.polled(outcome, next);
            } catch (RuntimeException e) {
                log.warning("A subscriber of " + group.key.describe() + " failed to take the poll's outcome: "
                        + AwsErrorMessages.rootMessage(e));
            }
        }
    }

    private void logChange(PollHealth previous, PollHealth next) {
        boolean wasFailing = previous != null && previous.failing();
        if (next.failing()) {
            if (!wasFailing || !previous.failure().equals(next.failure())) {
                log.warning("Polling for jobs of " + next.key().describe() + " failed: " + next.failure());
            }
        } else if (wasFailing) {
            log.info("Polling for jobs of " + next.key().describe() + " works again, after "
                    + previous.consecutiveFailures() + " failed poll(s) since " + previous.failingSince() + ".");
        }
    }

    /** Jobs received without their configuration: say why, once per change. */
    private void logCatalogProblem(PollKey key, PollOutcome outcome) {
        if (outcome.acknowledged().isEmpty()) {
            return;
        }
        boolean unknown = outcome.acknowledged().stream().anyMatch(job -> !job.configurationKnown());
        if (!unknown) {
            catalogProblems.remove(key);
            return;
        }
        String problem = poller.catalog().problem(key).orElse("The secret properties of "
                + key.actionType().describe() + " are unknown: jobs get no " + JobEnvironment.CONFIG_PREFIX
                + "* variables.");
        if (!problem.equals(catalogProblems.put(key, problem))) {
            log.warning(problem);
        }
    }

    /** The subscribers of one key, their room at the start of this pass and the batch to ask for. */
    private static final class Group {
        final PollKey key;
        final List<Subscriber> members;
        final int[] rooms;
        /** The free room plus the awaited follow-up jobs of every member. */
        final int batch;

        private Group(PollKey key, List<Subscriber> members, int[] rooms, int batch) {
            this.key = key;
            this.members = members;
            this.rooms = rooms;
            this.batch = batch;
        }

        static Group of(PollKey key, List<Subscriber> members, PollLog log) {
            int[] rooms = new int[members.size()];
            long total = 0;
            for (int i = 0; i < rooms.length; i++) {
                Subscriber member = members.get(i);
                int room;
                try {
                    room = member.freeRoom();
                } catch (RuntimeException e) {
                    log.warning("A subscriber of " + key.describe() + " could not say its free room ("
                            + AwsErrorMessages.rootMessage(e) + "); it takes no job this time.");
                    room = 0;
                }
                int awaited;
                try {
                    awaited = member.awaitedFollowUps();
                } catch (RuntimeException e) {
                    log.warning("A subscriber of " + key.describe() + " could not say how many follow-up jobs it "
                            + "awaits (" + AwsErrorMessages.rootMessage(e) + "); none are polled for this time.");
                    awaited = 0;
                }
                rooms[i] = Math.max(0, room);
                total += rooms[i] + Math.max(0, awaited);
            }
            return new Group(key, members, rooms, (int) Math.min(total, Integer.MAX_VALUE));
        }
    }
}
