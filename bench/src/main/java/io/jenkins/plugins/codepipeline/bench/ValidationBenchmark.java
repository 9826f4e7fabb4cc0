package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.JobResultValidator;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.core.Violation;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Section 4: {@code JobResultValidator.validate} on the largest legal request (see {@link LargestRequest}). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ValidationBenchmark {
    @Param({"ascii", "non-ascii"})
    public String text;

    private SuccessResult result;

    @Setup(Level.Trial)
    public void setUp() {
        result = LargestRequest.build("non-ascii".equals(text));
        List<Violation> violations = JobResultValidator.validate(result);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("the largest request must be legal: " + violations);
        }
    }

    @Benchmark
    public List<Violation> validate() {
        return JobResultValidator.validate(result);
    }
}
