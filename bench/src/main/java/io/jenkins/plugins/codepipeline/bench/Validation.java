package io.jenkins.plugins.codepipeline.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/** Section 4: runs {@link ValidationBenchmark} with JMH and writes its figures. */
public final class Validation {
    public static void main(String[] args) throws Exception {
        boolean smoke = Bench.smoke();
        int forks = smoke ? 1 : 3;
        int warmups = smoke ? 1 : 5;
        int iterations = smoke ? 1 : 5;
        TimeValue warmupTime = smoke ? TimeValue.milliseconds(300) : TimeValue.seconds(1);
        TimeValue measureTime = smoke ? TimeValue.milliseconds(300) : TimeValue.seconds(2);
        Options options = new OptionsBuilder()
                .include(ValidationBenchmark.class.getName() + ".validate")
                .forks(forks)
                .warmupIterations(warmups).warmupTime(warmupTime)
                .measurementIterations(iterations).measurementTime(measureTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        List<List<String>> rows = new ArrayList<>();
        double worstMedian = 0;
        double worstP99 = 0;
        for (RunResult run : results) {
            Result<?> primary = run.getPrimaryResult();
            Statistics s = primary.getStatistics();
            String text = run.getParams().getParam("text");
            double median = s.getPercentile(50);
            double p99 = s.getPercentile(99);
            worstMedian = Math.max(worstMedian, median);
            worstP99 = Math.max(worstP99, p99);
            rows.add(List.of(text, Bench.num(median, 1) + " µs", Bench.num(p99, 1) + " µs",
                    Bench.num(s.getMean(), 1) + " ± " + Bench.num(primary.getScoreError(), 1) + " µs",
                    String.format("%,d", s.getN())));
        }
        boolean met = worstP99 < 1000;
        Bench.Fragment f = new Bench.Fragment("4-validation", "4. Validation of the largest legal request (JMH)");
        f.para("`JobResultValidator.validate` on a PutJobSuccessResult with every text field at its limit "
                + "(revision 1500, changeIdentifier 100, revisionSummary 2048, summary 2048, externalExecutionId 1500 "
                + "code points; percentComplete 100; no continuationToken, which may not come with variables) and "
                + "1000 output variables whose names and values take exactly 122880 bytes of UTF-8. `ascii`: every "
                + "character one byte. `non-ascii`: text fields of U+1F680 (one code point, a surrogate pair, four "
                + "bytes), values of é (two bytes). The validator returns no violation for either (checked in setup).");
        f.para("JMH 1.37, mode SampleTime (every call timed), " + forks + " fork(s) × " + iterations
                + " measurement iteration(s) of " + measureTime + " after " + warmups + " warm-up iteration(s) of "
                + warmupTime + ", default JVM flags. Mean ± the 99.9 % confidence half-width JMH reports.");
        f.table(List.of("text", "median", "p99", "mean", "samples"), rows);
        f.para("Target: under 1 ms per validation → " + Bench.met(met) + " (p99 of the slower case "
                + Bench.num(worstP99, 1) + " µs).");
        f.write("median " + Bench.num(worstMedian, 1) + " µs, p99 " + Bench.num(worstP99, 1)
                + " µs (slower of ascii/non-ascii)", "< 1 ms", met ? "met" : "missed");
    }
}
