package io.jenkins.plugins.codepipeline.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The transfers run on the agent that holds the workspace, in its own JVM (JenkinsRule starts the agent as a separate
 * process): the files arrive in the agent's workspace with their modes, the output is uploaded from there, and not one
 * S3 request leaves the controller's JVM (where the test's interceptor would see it).
 */
@WithJenkins
class RemoteAgentArtifactsTest extends ArtifactsTestSupport {

    @Test
    void anAgentDownloadsAndUploadsTheArtifactsItself() throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("remote"));
        FakeJob job = addJob("app", List.of("SourceOutput"), List.of("BuildOutput"));
        putInput(job, "SourceOutput", Archives.of()
                .dir("bin").file("bin/tool.sh", "#!/bin/sh\necho built by the tool\n", 0755)
                .dir("empty")
                .zip());

        WorkflowRun run = run(pipeline("remote", "node('remote') {\n"
                + "  def dirs = codePipelineInputArtifacts " + jobArguments(job) + "\n"
                + "  echo \"WORKSPACE=${pwd()}\"\n"
                + "  sh \"${dirs.SourceOutput}/bin/tool.sh > result.txt\"\n"
                + "  codePipelineOutputArtifacts " + jobArguments(job)
                + ", artifacts: [[name: 'BuildOutput', path: 'result.txt']]\n"
                + "}"), Result.SUCCESS);

        j.assertLogContains("Running on " + agent.getNodeName(), run);
        Path workspace = workspace(run);
        assertTrue(workspace.toRealPath().startsWith(Path.of(agent.getRemoteFS()).toRealPath()), "the workspace "
                + workspace + " is the agent's, under " + agent.getRemoteFS());
        Path dir = workspace.resolve("codepipeline/input/SourceOutput");
        assertTrue(executable(dir.resolve("bin/tool.sh")), "the agent kept the executable bit: " + listing(dir));
        assertTrue(java.nio.file.Files.isDirectory(dir.resolve("empty")), listing(dir).toString());
        Location output = output(job, "BuildOutput");
        assertEquals("built by the tool\n", new String(s3.get(output.bucket(), output.key()),
                java.nio.charset.StandardCharsets.UTF_8), "the agent uploaded the file it made, unchanged");
        assertTrue(requests.isEmpty(), "no S3 request was made in the controller's JVM: " + requests);
        j.assertLogNotContains("ProxyException", run);
        assertNoSecret("the build log", org.jvnet.hudson.test.JenkinsRule.getLog(run));
    }
}
