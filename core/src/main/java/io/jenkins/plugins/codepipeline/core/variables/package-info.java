/**
 * Sources of CodePipeline output variables: variables files ({@link
 * io.jenkins.plugins.codepipeline.core.variables.VariablesFileParser}), selected environment variables ({@link
 * io.jenkins.plugins.codepipeline.core.variables.EnvironmentVariableSelector}) and the merge of all of them ({@link
 * io.jenkins.plugins.codepipeline.core.variables.OutputVariablesMerger}).
 *
 * <p>Values may be secrets: no message of a {@link
 * io.jenkins.plugins.codepipeline.core.variables.VariablesSourceException} ever contains a value, only keys, file
 * names and line numbers.
 */
package io.jenkins.plugins.codepipeline.core.variables;
