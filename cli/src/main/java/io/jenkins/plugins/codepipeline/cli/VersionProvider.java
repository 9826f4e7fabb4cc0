package io.jenkins.plugins.codepipeline.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest's {@code Implementation-Version}. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"codepipeline-job " + (version == null ? "(development build)" : version)};
    }
}
