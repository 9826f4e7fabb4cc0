package io.jenkins.plugins.codepipeline.core.worker;

import io.jenkins.plugins.codepipeline.core.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * URL-safe external execution ids for Jenkins builds, which the plugin's {@code /codepipeline/build/{id}} redirect
 * resolves. A job's full name holds {@code /} and any character, and how CodePipeline's console encodes
 * {@code {ExternalExecutionId}} in a URL is undocumented, so the id uses only {@code [A-Za-z0-9_-]}:
 * {@code "jenkins-"} + base64url without padding of the UTF-8 of {@code fullName + "#" + number}.
 */
public final class ExecutionIds {
    public static final String PREFIX = "jenkins-";
    public static final int MAX_LENGTH = Limits.EXTERNAL_EXECUTION_ID_MAX;

    /** A build, by its job's full name and its number. */
    public record BuildReference(String jobFullName, int buildNumber) {
    }

    private ExecutionIds() {
    }

    /**
     * @throws IllegalArgumentException when the name is blank, the number below 1, or the id would be longer than
     *                                  {@link #MAX_LENGTH}
     */
    public static String encode(String jobFullName, int buildNumber) {
        if (!isJobName(jobFullName)) {
            throw new IllegalArgumentException("jobFullName '" + (jobFullName == null ? "" : Names.printable(
                    jobFullName)) + "' is not a Jenkins job's full name; give one such as folder/app");
        }
        if (buildNumber < 1) {
            throw new IllegalArgumentException("buildNumber " + buildNumber + " is below 1; give the build's number");
        }
        String id = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                (jobFullName + "#" + buildNumber).getBytes(StandardCharsets.UTF_8));
        if (id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the external execution id of " + Names.printable(jobFullName)
                    + " #" + buildNumber + " has " + id.length() + " characters, more than CodePipeline's limit of "
                    + MAX_LENGTH + "; the job's full name is too long for an id: leave the id out");
        }
        return id;
    }

    /** The build an id names; empty for anything this class did not make. */
    public static Optional<BuildReference> decode(String id) {
        if (id == null || id.length() > MAX_LENGTH || !id.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String encoded = id.substring(PREFIX.length());
        if (encoded.isEmpty() || encoded.indexOf('=') >= 0) {
            return Optional.empty();
        }
        String text;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(encoded);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
        int hash = text.lastIndexOf('#');
        if (hash < 0) {
            return Optional.empty();
        }
        String name = text.substring(0, hash);
        String number = text.substring(hash + 1);
        if (!isJobName(name) || !number.matches("[1-9][0-9]{0,9}")) {
            return Optional.empty();
        }
        long n = Long.parseLong(number);
        if (n > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        // Only the canonical spelling: base64 has other spellings of the same bytes (unused low bits).
        String canonical = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                text.getBytes(StandardCharsets.UTF_8));
        return canonical.equals(id) ? Optional.of(new BuildReference(name, (int) n)) : Optional.empty();
    }

    /** Non-blank, no empty path segment, no control character, no unpaired surrogate (UTF-8 cannot carry it). */
    private static boolean isJobName(String name) {
        if (name == null || name.isBlank() || name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            return false;
        }
        return name.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.isSurrogate((char) c)
                && c <= Character.MAX_VALUE);
    }
}
