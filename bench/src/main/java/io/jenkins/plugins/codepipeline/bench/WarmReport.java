package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.JobResultReporter;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultResponse;

/**
 * Section 1: a warm success report with 3 output variables, core's reporter with its cached client versus a bare
 * {@code CodePipelineClient.putJobSuccessResult}, interleaved call by call (who goes first alternates) on the same
 * endpoint. Run once against the referee (the target) and once against an in-process stub (client side only).
 */
public final class WarmReport {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    record Samples(long[] oursWall, long[] bareWall, long[] oursCpu, long[] bareCpu) {
        long[] pairedDifference() {
            long[] d = new long[oursWall.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = oursWall[i] - bareWall[i];
            }
            return d;
        }
    }

    public static void main(String[] args) {
        int warmup = Bench.count(200, 10);
        int calls = Bench.count(500, 20);
        int stubWarmup = Bench.count(10_000, 20);
        int stubCalls = Bench.count(5_000, 20);
        URI endpoint = Bench.endpoint();
        RefereeAdmin admin = new RefereeAdmin(endpoint);

        Samples stub;
        Samples referee;
        long stubRequests;
        List<String> oursJobs = admin.createJobs(warmup + calls);
        List<String> bareJobs = admin.createJobs(warmup + calls);
        try (StubEndpoint s = new StubEndpoint()) {
            // JIT warm-up of both paths on the stub first (compiled code serves every client instance), then the
            // referee comparison, then the stub comparison
            System.out.println("[1-warm] JIT warm-up: " + stubWarmup + " calls per path against the in-process stub");
            compare(s.uri(), randomIds(), randomIds(), stubWarmup, 1);
            System.out.println("[1-warm] " + warmup + " warm-up and " + calls
                    + " measured calls per path against the referee");
            referee = compare(endpoint, oursJobs.iterator(), bareJobs.iterator(), warmup, calls);
            System.out.println("[1-warm] " + stubCalls + " measured calls per path against the in-process stub");
            stub = compare(s.uri(), randomIds(), randomIds(), warmup, stubCalls);
            stubRequests = s.requests.get();
        }
        RefereeAdmin.Verdict oursVerdict = admin.check(oursJobs);
        RefereeAdmin.Verdict bareVerdict = admin.check(bareJobs);
        List<List<String>> components = components(Fixture.settings(endpoint), Bench.count(20_000, 100));

        double oursMedian = Bench.median(referee.oursWall());
        double bareMedian = Bench.median(referee.bareWall());
        boolean met = oursMedian <= 1.2 * bareMedian;
        Bench.Fragment f = new Bench.Fragment("1-warm", "1. Warm report: reporter + cached client vs bare SDK call");
        f.para("A success report with 3 output variables on a fresh InProgress job. **Ours**: "
                + "`JobResultReporter.report` through one `CodePipelineClientCache` (validation, credentials resolved "
                + "per report, per-report retry strategy, client lease, the SDK call with per-request credentials). "
                + "**Bare**: one `CodePipelineClient` built by hand with the same Apache client settings (connect 10 s, "
                + "socket 30 s), the SDK's standard retry strategy with 5 attempts and no circuit breaker, a 30 s "
                + "attempt timeout, the same endpoint and static credentials; `putJobSuccessResult` with the same "
                + "request. One JVM; first " + stubWarmup + " calls per path against an in-process stub (below) to "
                + "let the JIT compile both paths, then " + warmup + " warm-up calls per path against the referee (not "
                + "counted), then " + calls + " measured calls per path, interleaved ours/bare with the first of each pair alternating. Wall time per call "
                + "(`System.nanoTime`) and CPU time of the calling thread (`ThreadMXBean.getCurrentThreadCpuTime`; "
                + "the Apache client does its I/O on the calling thread, so this is the client-side work).");
        f.para("**Against the referee** (the target). The referee is a Python `ThreadingHTTPServer` that recomputes "
                + "SigV4 with botocore, validates the body against the service model and appends a JSON line per "
                + "request: its latency is most of each call, for both paths alike, so the ratio is fair but the "
                + "absolute figures say more about the referee than about us.");
        table(f, referee);
        f.para("Referee check: ours " + oursVerdict + "; bare " + bareVerdict + ".");
        f.para("**Against an in-process stub** that answers `{}` at once and checks nothing (a JDK `HttpServer` "
                + "with TCP_NODELAY, in the same JVM; " + stubCalls + " measured calls per path after the warm-up, "
                + stubRequests + " requests served in all): the client side only, so the ratio here isolates our "
                + "overhead over the bare SDK. The stub's own work shares the 2 cores with the client.");
        table(f, stub);
        f.para("Our own steps, each timed alone in a loop (warm, same JVM, no request sent): what the reporter "
                + "does besides the SDK call that the bare path does not.");
        f.table(List.of("step", "median", "p99"), components);
        double stubOurs = Bench.median(stub.oursWall());
        double stubBare = Bench.median(stub.bareWall());
        f.para("Target: ours ≤ 1.2× the bare call (median, against the referee). Ours/bare = "
                + Bench.ratio(oursMedian, bareMedian) + " → " + Bench.met(met) + ". Client side only (stub): "
                + Bench.ratio(stubOurs, stubBare) + ", i.e. our code adds "
                + Bench.us(Bench.median(stub.pairedDifference())) + " per report (median of the paired differences).");
        if (!oursVerdict.allSucceeded() || !bareVerdict.allSucceeded()) {
            f.para("**Not every job Succeeded at the referee: the figures above are not valid.**");
            met = false;
        }
        f.write("ours " + Bench.ms(oursMedian) + " vs bare " + Bench.ms(bareMedian) + " median ("
                + Bench.ratio(oursMedian, bareMedian) + "); p99 " + Bench.ms(Bench.p99(referee.oursWall())) + " vs "
                + Bench.ms(Bench.p99(referee.bareWall())) + "; stub: +" + Bench.us(Bench.median(stub.pairedDifference()))
                + " (" + Bench.ratio(stubOurs, stubBare) + ")", "≤ 1.2× bare", met ? "met" : "missed");
    }

    /** Our per-report steps besides the SDK call, each timed alone. */
    private static List<List<String>> components(ConnectionSettings settings, int n) {
        StaticCredentialsProvider credentials = Fixture.credentials();
        long[][] t = new long[5][n];
        {
            for (int i = -n; i < n; i++) {
                String id = UUID.randomUUID().toString();
                long s0 = System.nanoTime();
                io.jenkins.plugins.codepipeline.core.JobResultValidator.requireValid(Fixture.ours(id));
                long s1 = System.nanoTime();
                settings.regionWarning();
                long s2 = System.nanoTime();
                StaticCredentialsProvider.create(credentials.resolveCredentials());
                long s3 = System.nanoTime();
                var strategy = software.amazon.awssdk.awscore.retry.AwsRetryStrategy.standardRetryStrategy()
                        .toBuilder().maxAttempts(settings.maxAttempts()).circuitBreakerEnabled(false).build();
                var token = strategy.acquireInitialToken(
                        software.amazon.awssdk.retries.api.AcquireInitialTokenRequest.create("x")).token();
                strategy.recordSuccess(software.amazon.awssdk.retries.api.RecordSuccessRequest.create(token));
                long s4 = System.nanoTime();
                settings.hashCode();
                long s5 = System.nanoTime();
                if (i >= 0) {
                    t[0][i] = s1 - s0;
                    t[1][i] = s2 - s1;
                    t[2][i] = s3 - s2;
                    t[3][i] = s4 - s3;
                    t[4][i] = s5 - s4;
                }
            }
        }
        String[] names = {"build the result + `JobResultValidator.requireValid` (3 variables)",
                "`ConnectionSettings.regionWarning()`", "resolve credentials, wrap them in a provider",
                "new standard retry strategy + token + recordSuccess", "`ConnectionSettings.hashCode()` (cache key)"};
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            rows.add(List.of(names[k], Bench.us(Bench.median(t[k])), Bench.us(Bench.p99(t[k]))));
        }
        return rows;
    }

    private static void table(Bench.Fragment f, Samples s) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ours (reporter + cached client)", Bench.ms(Bench.median(s.oursWall())),
                Bench.ms(Bench.p99(s.oursWall())), Bench.ms(Bench.mean(s.oursWall())),
                Bench.us(Bench.median(s.oursCpu())), Bench.us(Bench.p99(s.oursCpu()))));
        rows.add(List.of("bare SDK client", Bench.ms(Bench.median(s.bareWall())), Bench.ms(Bench.p99(s.bareWall())),
                Bench.ms(Bench.mean(s.bareWall())), Bench.us(Bench.median(s.bareCpu())),
                Bench.us(Bench.p99(s.bareCpu()))));
        rows.add(List.of("ratio ours / bare", Bench.ratio(Bench.median(s.oursWall()), Bench.median(s.bareWall())),
                Bench.ratio(Bench.p99(s.oursWall()), Bench.p99(s.bareWall())),
                Bench.ratio(Bench.mean(s.oursWall()), Bench.mean(s.bareWall())),
                Bench.ratio(Bench.median(s.oursCpu()), Bench.median(s.bareCpu())),
                Bench.ratio(Bench.p99(s.oursCpu()), Bench.p99(s.bareCpu()))));
        long[] d = s.pairedDifference();
        rows.add(List.of("paired difference ours − bare", Bench.us(Bench.median(d)), Bench.us(Bench.p99(d)),
                Bench.us(Bench.mean(d)), "", ""));
        f.table(List.of("path (" + s.oursWall().length + " calls each)", "wall median", "wall p99", "wall mean",
                "CPU median", "CPU p99"), rows);
    }

    private static Samples compare(URI endpoint, Iterator<String> oursJobs, Iterator<String> bareJobs, int warmup,
            int calls) {
        ConnectionSettings settings = Fixture.settings(endpoint);
        StaticCredentialsProvider credentials = Fixture.credentials();
        long[] oursWall = new long[calls];
        long[] bareWall = new long[calls];
        long[] oursCpu = new long[calls];
        long[] bareCpu = new long[calls];
        try (CodePipelineClientCache cache = new CodePipelineClientCache(new ApacheHttpClientFactory());
                CodePipelineClient bare = Fixture.bareClient(endpoint)) {
            JobResultReporter reporter = new JobResultReporter(cache);
            for (int i = 0; i < warmup + calls; i++) {
                long[] ours = new long[2];
                long[] theirs = new long[2];
                String oursJob = oursJobs.next();
                String bareJob = bareJobs.next();
                if (i % 2 == 0) {
                    ours(reporter, settings, credentials, oursJob, ours);
                    bare(bare, bareJob, theirs);
                } else {
                    bare(bare, bareJob, theirs);
                    ours(reporter, settings, credentials, oursJob, ours);
                }
                if (i >= warmup) {
                    int k = i - warmup;
                    oursWall[k] = ours[0];
                    oursCpu[k] = ours[1];
                    bareWall[k] = theirs[0];
                    bareCpu[k] = theirs[1];
                }
            }
            if (cache.clientsCreated() != 1) {
                throw new IllegalStateException("expected one cached client, got " + cache.clientsCreated());
            }
        }
        return new Samples(oursWall, bareWall, oursCpu, bareCpu);
    }

    private static void ours(JobResultReporter reporter, ConnectionSettings settings,
            StaticCredentialsProvider credentials, String jobId, long[] into) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        ReportOutcome outcome;
        try {
            outcome = reporter.report(Fixture.ours(jobId), settings, credentials, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        into[0] = System.nanoTime() - start;
        into[1] = THREADS.getCurrentThreadCpuTime() - cpu;
        if (outcome.status() != ReportOutcome.Status.DELIVERED || outcome.attempts().size() != 1) {
            throw new IllegalStateException("report not delivered in one attempt: " + outcome.message());
        }
    }

    private static void bare(CodePipelineClient client, String jobId, long[] into) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        PutJobSuccessResultResponse response = client.putJobSuccessResult(Fixture.bare(jobId));
        into[0] = System.nanoTime() - start;
        into[1] = THREADS.getCurrentThreadCpuTime() - cpu;
        if (!response.sdkHttpResponse().isSuccessful()) {
            throw new IllegalStateException("bare call failed: " + response.sdkHttpResponse().statusCode());
        }
    }

    private static Iterator<String> randomIds() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public String next() {
                return UUID.randomUUID().toString();
            }
        };
    }
}
