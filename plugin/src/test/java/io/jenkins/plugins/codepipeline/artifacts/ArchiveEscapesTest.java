package io.jenkins.plugins.codepipeline.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * An input artifact is data from elsewhere: entries that would leave the target directory ({@code ../}, absolute
 * names) and symbolic links that point out of it are refused with a build log error that names the entry, and
 * nothing is written outside. A link that stays inside is extracted as a link.
 */
@WithJenkins
class ArchiveEscapesTest extends ArtifactsTestSupport {

    private WorkflowRun download(FakeJob job, String name, Result expected) throws Exception {
        return run(pipeline(name, "node {\n"
                + "  echo \"WORKSPACE=${pwd()}\"\n"
                + "  codePipelineInputArtifacts " + jobArguments(job) + "\n"
                + "}"), expected);
    }

    @Test
    void zipSlipAndAbsoluteEntriesAreRefused() throws Exception {
        String absolute = Path.of(System.getProperty("java.io.tmpdir"), "cp-escaped-" + UUID.randomUUID() + ".txt")
                .toString();
        String[] names = {"../escaped.txt", "ok/../../../escaped.txt", absolute};
        for (int i = 0; i < names.length; i++) {
            FakeJob job = addJob("app", List.of("Slip"), List.of());
            putInput(job, "Slip", Archives.plainZip(names[i], "evil"));
            WorkflowRun run = download(job, "slip" + i, Result.FAILURE);
            j.assertLogContains("'" + names[i] + "'", run);
            j.assertLogContains("refused", run);
            j.assertLogContains("Slip", run);
            j.assertLogNotContains("ProxyException", run);
            Path workspace = workspace(run);
            for (Path outside : List.of(workspace.resolve("codepipeline/input/escaped.txt"),
                    workspace.resolve("codepipeline/escaped.txt"), workspace.resolve("escaped.txt"),
                    workspace.resolveSibling("escaped.txt"), Path.of(absolute))) {
                assertFalse(Files.exists(outside, LinkOption.NOFOLLOW_LINKS), outside + " was not written");
            }
        }
    }

    @Test
    void symbolicLinksThatPointOutOfTheDirectoryAreRefused() throws Exception {
        Object[][] cases = {
            {"tar", Archives.of().symlink("link", "../../outside").tarGz(), "link"},
            {"zip", Archives.of().symlink("abs", "/etc").zip(), "abs"},
            // a link to a directory inside is fine; a file written through a second link that climbs out is not
            {"chain", Archives.of().dir("d").symlink("self", "d").symlink("up", "self/../..").zip(), "up"},
        };
        for (Object[] c : cases) {
            FakeJob job = addJob("app", List.of("Links"), List.of());
            putInput(job, "Links", (byte[]) c[1]);
            WorkflowRun run = download(job, "links-" + c[0], Result.FAILURE);
            j.assertLogContains("'" + c[2] + "'", run);
            j.assertLogContains("symbolic link", run);
            Path link = workspace(run).resolve("codepipeline/input/Links").resolve((String) c[2]);
            assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS), link + " was not made");
        }
    }

    @Test
    void aLinkThatStaysInsideIsExtractedAsALink() throws Exception {
        FakeJob job = addJob("app", List.of("Links"), List.of());
        putInput(job, "Links", Archives.of().dir("docs").file("docs/readme.txt", "read me\n")
                .symlink("readme", "docs/readme.txt").zip());
        WorkflowRun run = download(job, "inside", Result.SUCCESS);
        Path dir = workspace(run).resolve("codepipeline/input/Links");
        assertTrue(Files.isSymbolicLink(dir.resolve("readme")), listing(dir).toString());
        assertEquals(Path.of("docs/readme.txt"), Files.readSymbolicLink(dir.resolve("readme")));
        assertEquals("read me\n", read(dir.resolve("readme")));
    }
}
