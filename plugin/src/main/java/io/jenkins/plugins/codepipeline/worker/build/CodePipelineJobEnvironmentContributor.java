package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.model.EnvironmentContributor;
import hudson.model.Run;
import hudson.model.TaskListener;

/**
 * The {@code CODEPIPELINE_*} variables of a build started for a CodePipeline job, for freestyle and Pipeline builds
 * alike ({@code Run.getEnvironment} applies contributors, then the build's parameters, which therefore win). No
 * secret is among them: the action holds none.
 */
@Extension
public final class CodePipelineJobEnvironmentContributor extends EnvironmentContributor {
    @Override
    @SuppressWarnings("rawtypes") // the extension point's signature
    public void buildEnvironmentFor(@NonNull Run r, @NonNull EnvVars envs, @NonNull TaskListener listener) {
        Run<?, ?> run = r; // not raw: a raw receiver would erase getAction's type parameter
        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        if (action != null) {
            envs.putAll(action.getVariables());
        }
    }
}
