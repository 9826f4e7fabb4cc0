package io.jenkins.plugins.codepipeline.core.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.codepipeline.core.SettingSources;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which artifacts a transfer moves, and where S3 is reached. */
class ArtifactSelectionTest {
    private static final JobArtifact SOURCE = new JobArtifact("SourceOutput", "abc", "bucket", "p/Source/1");
    private static final JobArtifact TOOLS = new JobArtifact("Tools", null, "bucket", "p/Tools/2");
    private static final JobArtifact BUILD = new JobArtifact("BuildOutput", null, "bucket", "p/Build/3");
    private static final JobArtifact DOCS = new JobArtifact("Docs", null, "bucket", "p/Docs/4");

    @Test
    void allInputsWhenNoneAreNamed() {
        assertEquals(List.of(SOURCE, TOOLS), ArtifactSelection.inputs(List.of(SOURCE, TOOLS), null));
        assertEquals(List.of(SOURCE, TOOLS), ArtifactSelection.inputs(List.of(SOURCE, TOOLS), List.of()));
        assertEquals(List.of(), ArtifactSelection.inputs(List.of(), null));
    }

    @Test
    void namedInputsInTheGivenOrder() {
        assertEquals(List.of(TOOLS, SOURCE), ArtifactSelection.inputs(List.of(SOURCE, TOOLS),
                List.of("Tools", "SourceOutput")));
        assertEquals(List.of(TOOLS), ArtifactSelection.inputs(List.of(SOURCE, TOOLS), List.of("Tools")));
    }

    @Test
    void anUnknownInputIsNamedWithTheJobsInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.inputs(List.of(SOURCE, TOOLS), List.of("sourceoutput")));
        assertEquals("The job has no input artifact 'sourceoutput'. Its input artifacts are 'SourceOutput', 'Tools'. "
                + "Check the name (names are case-sensitive) or ask for none to get all of them.", e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.inputs(List.of(), List.of("Source")));
        assertEquals("The job has no input artifact 'Source'; it has no input artifacts at all. Check the action's "
                + "input artifacts in the pipeline, or ask for none.", none.getMessage());
    }

    @Test
    void aDuplicateOrBlankInputIsRefused() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.inputs(List.of(SOURCE, TOOLS), List.of("Tools", "Tools")));
        assertEquals("The input artifact 'Tools' is named twice. Name each artifact once.", twice.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.inputs(List.of(SOURCE), java.util.Arrays.asList("SourceOutput", " ")));
        assertEquals("An input artifact name is blank. Give the names of the job's input artifacts "
                + "('SourceOutput'), or none to get all of them.", blank.getMessage());
    }

    @Test
    void outputsComeInTheJobsOrderWithTheirPaths() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("Docs", "site");
        given.put("BuildOutput", "target/app");
        List<Map.Entry<JobArtifact, String>> selected = ArtifactSelection.outputs(List.of(BUILD, DOCS), given);
        assertEquals(List.of(Map.entry(BUILD, "target/app"), Map.entry(DOCS, "site")), selected);
        assertEquals(List.of(), ArtifactSelection.outputs(List.of(), Map.of()));
    }

    @Test
    void everyDeclaredOutputMustBeGiven() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.outputs(List.of(BUILD, DOCS), Map.of("BuildOutput", "target/app")));
        assertEquals("The job declares the output artifact 'Docs' but no path was given for it. Every declared "
                + "output artifact must be uploaded (the job declares 'BuildOutput', 'Docs'): give a directory or "
                + "file for each.", one.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.outputs(List.of(BUILD, DOCS), new HashMap<>()));
        assertEquals("The job declares the output artifacts 'BuildOutput', 'Docs' but no path was given for them. "
                + "Every declared output artifact must be uploaded (the job declares 'BuildOutput', 'Docs'): give a "
                + "directory or file for each.", both.getMessage());
    }

    @Test
    void anUndeclaredOutputIsNamedWithTheDeclaredOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.outputs(List.of(BUILD, DOCS), Map.of("BuildOutput", "a", "Doc", "b")));
        assertEquals("The job declares no output artifact 'Doc'. Its output artifacts are 'BuildOutput', 'Docs'. "
                + "Check the name (names are case-sensitive).", e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.outputs(List.of(), Map.of("BuildOutput", "a")));
        assertEquals("The job declares no output artifact 'BuildOutput'; it declares no output artifacts at all, so "
                + "there is nothing to upload. Check the action's output artifacts in the pipeline.",
                none.getMessage());
    }

    @Test
    void aDuplicateOrPathlessOutputIsRefused() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.outputs(List.of(BUILD), List.of(
                        new AbstractMap.SimpleEntry<>("BuildOutput", "a"),
                        new AbstractMap.SimpleEntry<>("BuildOutput", "b"))));
        assertEquals("The output artifact 'BuildOutput' is given twice. Give each output artifact once, with one "
                + "path.", twice.getMessage());
        Map<String, String> blank = new HashMap<>();
        blank.put("BuildOutput", " ");
        IllegalArgumentException noPath = assertThrows(IllegalArgumentException.class,
                () -> ArtifactSelection.outputs(List.of(BUILD), blank));
        assertEquals("The output artifact 'BuildOutput' has no path. Give the directory (zipped) or file (sent as "
                + "is) to upload as 'BuildOutput'.", noPath.getMessage());
    }

    @Test
    void missingOutputsKeepTheDeclaredOrder() {
        assertEquals(List.of("BuildOutput", "Docs"), ArtifactSelection.missingOutputs(
                List.of("BuildOutput", "Tests", "Docs"), Set.of("Tests")));
        assertEquals(List.of(), ArtifactSelection.missingOutputs(List.of("A"), List.of("A", "B")));
        assertEquals(List.of("A"), ArtifactSelection.missingOutputs(List.of("A"), null));
        assertEquals(List.of(), ArtifactSelection.missingOutputs(null, List.of("A")));
    }

    @Test
    void s3EndpointComesFromTheArgumentThenS3VariableThenGenericVariableThenConfiguration() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL_S3", " http://s3.local:9000 ");
        env.put("AWS_ENDPOINT_URL", "http://all.local");
        env.put("AWS_ENDPOINT_URL_CODEPIPELINE", "http://codepipeline.local");
        assertEquals(new SettingSources.Setting("http://arg.local", "argument"),
                S3EndpointSources.endpoint(" http://arg.local ", env, "http://configured.local"));
        assertEquals(new SettingSources.Setting("http://s3.local:9000", "environment variable AWS_ENDPOINT_URL_S3"),
                S3EndpointSources.endpoint(" ", env, "http://configured.local"));
        env.put("AWS_ENDPOINT_URL_S3", "");
        assertEquals(new SettingSources.Setting("http://all.local", "environment variable AWS_ENDPOINT_URL"),
                S3EndpointSources.endpoint(null, env, "http://configured.local"));
        env.remove("AWS_ENDPOINT_URL");
        assertEquals(new SettingSources.Setting("http://configured.local", "global configuration"),
                S3EndpointSources.endpoint(null, env, "http://configured.local"));
        SettingSources.Setting unset = S3EndpointSources.endpoint(null, null, " ");
        assertEquals(new SettingSources.Setting(null, "not set"), unset);
        assertEquals(false, unset.isSet());
        assertEquals(List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"), List.of(S3EndpointSources.VARIABLES));
    }
}
