package io.jenkins.plugins.codepipeline.core.worker;

import io.jenkins.plugins.codepipeline.core.Limits;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The continuation tokens of the live link: {@code jcp1:<fingerprint>:<record id>}. The worker reports a build's job
 * early with such a token; CodePipeline then queues a follow-up job carrying it, and the token says which worker
 * (the fingerprint: 16 lower-case hex digits of the SHA-256 of its identity public key) and which of its runs (the
 * record id, the first job id of the chain) the follow-up belongs to. Tokens that do not start with {@link #PREFIX}
 * are users' own (a step's {@code continuationToken}); users may not start theirs with it.
 */
public final class ContinuationTokens {
    /** Every token of the live link starts with this; it is reserved for them. */
    public static final String PREFIX = "jcp1:";

    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{16}");
    /** A record id: a job id (a UUID) in practice; anything that cannot hold the separator or blanks. */
    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern TOKEN = Pattern.compile(Pattern.quote(PREFIX) + "([0-9a-f]{16}):([A-Za-z0-9._-]+)");

    /** The parts of a token this worker's kind issues. */
    public record Issued(String fingerprint, String recordId) {
        public Issued {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(recordId, "recordId");
        }

        /** The token itself. */
        public String token() {
            return issue(fingerprint, recordId);
        }
    }

    private ContinuationTokens() {
    }

    /** 16 lower-case hex digits of the SHA-256 of an identity's encoded public key (or of any identity bytes). */
    public static String fingerprint(byte[] encodedPublicKey) {
        Objects.requireNonNull(encodedPublicKey, "encodedPublicKey");
        if (encodedPublicKey.length == 0) {
            throw new IllegalArgumentException("the public key is empty: a fingerprint needs the key's bytes");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(encodedPublicKey);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    /**
     * {@code jcp1:<fingerprint>:<recordId>}.
     *
     * @throws IllegalArgumentException when the fingerprint is not 16 lower-case hex digits, the record id is empty
     *                                  or holds anything but letters, digits, '.', '_' and '-', or the token would
     *                                  pass CodePipeline's 2048 characters
     */
    public static String issue(String fingerprint, String recordId) {
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("fingerprint '" + fingerprint + "' is not 16 lower-case hex digits "
                    + "(see ContinuationTokens.fingerprint)");
        }
        if (recordId == null || !RECORD_ID.matcher(recordId).matches()) {
            throw new IllegalArgumentException("record id '" + recordId + "' is not usable in a continuation token: "
                    + "it must be letters, digits, '.', '_' or '-', such as the chain's first job id");
        }
        String token = PREFIX + fingerprint + ":" + recordId;
        if (token.length() > Limits.CONTINUATION_TOKEN_MAX) {
            throw new IllegalArgumentException("record id of " + recordId.length() + " characters makes a "
                    + "continuation token longer than CodePipeline's " + Limits.CONTINUATION_TOKEN_MAX
                    + " characters");
        }
        return token;
    }

    /** The parts of a well-formed {@code jcp1:} token; empty for null, a user's own token or a malformed one. */
    public static Optional<Issued> parse(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > Limits.CONTINUATION_TOKEN_MAX) {
            return Optional.empty();
        }
        Matcher matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Issued(matcher.group(1), matcher.group(2)));
    }

    /** True when the token starts with {@link #PREFIX}, well-formed or not: no user token may. */
    public static boolean isReserved(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /**
     * Checks a user's own continuation token (a step's {@code continuationToken}, the command line's token file).
     * Null passes.
     *
     * @param field how the caller names the token, for the message (such as {@code continuationToken})
     * @throws IllegalArgumentException when it starts with {@code jcp1:}, the prefix the worker's live link keeps
     */
    public static void requireUserToken(String token, String field) {
        if (isReserved(token)) {
            throw new IllegalArgumentException((field == null || field.isBlank() ? "The continuation token" : field)
                    + " starts with \"" + PREFIX + "\", which is reserved for the continuation tokens the Jenkins job "
                    + "worker issues for its live link (report progress). A follow-up job with such a token would be "
                    + "taken for one of the worker's own. Choose a token that does not start with \"" + PREFIX
                    + "\".");
        }
    }
}
