package io.jenkins.plugins.codepipeline.core.worker;

import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionConfigurationProperty;
import software.amazon.awssdk.services.codepipeline.model.ActionOwner;
import software.amazon.awssdk.services.codepipeline.model.ActionType;
import software.amazon.awssdk.services.codepipeline.model.ListActionTypesRequest;
import software.amazon.awssdk.services.codepipeline.model.ListActionTypesResponse;

/**
 * Which configuration properties of custom action types are secret, from ListActionTypes. A job's data holds the
 * secret values too and does not say which they are, so the worker asks here before keeping any configuration.
 *
 * <p>One listing per region, endpoint and credentials, kept {@link #KEEP} (a failed one {@link #KEEP_FAILURE}, so
 * that a missing permission is not asked again on every poll). A type that a listing does not show is looked up
 * again once the listing is older than {@link #KEEP_FAILURE}: it may have been created since.
 *
 * <p>An allow-list: a job keeps only the properties that the listing names with {@code secret: false}
 * ({@link PropertyFlags#isNotSecret}). A property whose flag is missing counts as secret, and so does a property
 * the job carries but the listing does not name.
 */
public final class ActionTypeCatalog {
    public static final Duration KEEP = Duration.ofMinutes(10);
    public static final Duration KEEP_FAILURE = Duration.ofMinutes(1);
    /** Guards against an endpoint that keeps answering with a next token. */
    private static final int MAX_PAGES = 100;
    private static final String WITHOUT_CONFIG = ": jobs get no " + JobEnvironment.CONFIG_PREFIX
            + "* variables until they are known.";

    private final CodePipelineClientCache clients;
    private final Clock clock;
    private final Retrying retrying;
    private final Map<Account, Slot> slots = new ConcurrentHashMap<>();

    /**
     * The configuration properties ListActionTypes lists for one action type, with their secret flags. As a set, it
     * holds the names of the secret ones (what {@link #secretProperties} has always answered); what a job may keep
     * is decided by {@link #isNotSecret}, an allow-list, and {@link ReceivedJob#from} uses it so.
     */
    public static final class PropertyFlags extends AbstractSet<String> {
        private final Set<String> secret;
        private final Set<String> notSecret;

        private PropertyFlags(Set<String> secret, Set<String> notSecret) {
            this.secret = Set.copyOf(secret);
            this.notSecret = Set.copyOf(notSecret);
        }

        /**
         * @param secretByName each listed property's name and its {@code secret} flag; a null flag counts as secret
         */
        public static PropertyFlags of(Map<String, Boolean> secretByName) {
            Set<String> secret = new HashSet<>();
            Set<String> notSecret = new HashSet<>();
            secretByName.forEach((name, flag) -> {
                if (name != null) {
                    (Boolean.FALSE.equals(flag) ? notSecret : secret).add(name);
                }
            });
            return new PropertyFlags(secret, notSecret);
        }

        /** Whether the listing names this property with {@code secret: false}: only then may a job keep it. */
        public boolean isNotSecret(String name) {
            return name != null && notSecret.contains(name);
        }

        /** The properties listed with {@code secret: false}. */
        public Set<String> notSecret() {
            return notSecret;
        }

        @Override
        public Iterator<String> iterator() {
            return secret.iterator();
        }

        @Override
        public int size() {
            return secret.size();
        }

        @Override
        public boolean contains(Object name) {
            return secret.contains(name);
        }
    }

    public ActionTypeCatalog(CodePipelineClientCache clients, Clock clock) {
        this(clients, clock, null);
    }

    /** @param retrying drives each ListActionTypes call; null for the SDK's standard waits */
    ActionTypeCatalog(CodePipelineClientCache clients, Clock clock, Retrying retrying) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retrying = retrying == null ? new Retrying(null) : retrying;
    }

    /**
     * The type's properties and their secret flags (as a set: the names of the secret ones); empty when unknown (the
     * call failed, or the type is not listed). An interrupt ends the lookup, answers unknown and leaves the thread's
     * interrupt flag set.
     */
    public Optional<PropertyFlags> secretProperties(PollKey key, AwsCredentialsProvider credentials) {
        Slot slot = slots.computeIfAbsent(new Account(key.settings(), key.credentialsKey()), a -> new Slot());
        synchronized (slot) {
            Instant now = clock.instant();
            Listing listing = slot.listing;
            boolean stale = listing == null || !now.isBefore(listing.expires);
            boolean typeMayBeNew = listing != null && listing.secrets != null
                    && !listing.secrets.containsKey(key.actionType())
                    && !now.isBefore(listing.fetched.plus(KEEP_FAILURE));
            if (stale || typeMayBeNew) {
                try {
                    listing = list(key, credentials, now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
                slot.listing = listing;
            }
            if (listing.secrets == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(listing.secrets.get(key.actionType()));
        }
    }

    /**
     * Why the secret flags of the key's type are unknown, as a line for the polling log; empty when they are known
     * or were never looked up.
     */
    public Optional<String> problem(PollKey key) {
        Slot slot = slots.get(new Account(key.settings(), key.credentialsKey()));
        if (slot == null) {
            return Optional.empty();
        }
        synchronized (slot) {
            Listing listing = slot.listing;
            if (listing == null) {
                return Optional.empty();
            }
            if (listing.secrets == null) {
                return Optional.of(listing.problem);
            }
            if (!listing.secrets.containsKey(key.actionType())) {
                return Optional.of("ListActionTypes in " + key.settings().region() + " does not list "
                        + key.actionType().describe() + ", so its secret properties are unknown" + WITHOUT_CONFIG);
            }
            return Optional.empty();
        }
    }

    Clock clock() {
        return clock;
    }

    private Listing list(PollKey key, AwsCredentialsProvider credentials, Instant now) throws InterruptedException {
        AwsCredentials session;
        try {
            session = credentials.resolveCredentials();
        } catch (RuntimeException e) {
            return Listing.failed(now, PollErrors.credentials(key, e));
        }
        AwsRequestOverrideConfiguration signed = AwsRequestOverrideConfiguration.builder()
                .credentialsProvider(StaticCredentialsProvider.create(session)).build();
        Map<ActionTypeId, PropertyFlags> secrets = new HashMap<>();
        try (CodePipelineClientCache.Lease lease = clients.acquire(key.settings())) {
            CodePipelineClient client = lease.client();
            String nextToken = null;
            for (int page = 0; page < MAX_PAGES; page++) {
                ListActionTypesRequest request = ListActionTypesRequest.builder()
                        .actionOwnerFilter(ActionOwner.CUSTOM).nextToken(nextToken)
                        .overrideConfiguration(signed).build();
                Retrying.Result<ListActionTypesResponse> answer =
                        retrying.call("codepipeline-list-action-types", () -> client.listActionTypes(request));
                if (answer.failed()) {
                    return Listing.failed(now, "Could not read which configuration properties of "
                            + key.actionType().describe() + " are secret: "
                            + PollErrors.describe("ListActionTypes", key, answer.failure(), session.accessKeyId())
                            + " Until then jobs get no " + JobEnvironment.CONFIG_PREFIX + "* variables.");
                }
                for (ActionType type : answer.value().actionTypes()) {
                    add(type, secrets);
                }
                nextToken = answer.value().nextToken();
                if (nextToken == null || nextToken.isEmpty()) {
                    break;
                }
            }
        }
        return new Listing(now, now.plus(KEEP), Map.copyOf(secrets), null);
    }

    private static void add(ActionType type, Map<ActionTypeId, PropertyFlags> secrets) {
        ActionTypeId id;
        try {
            id = type.id() == null ? null : ActionTypeId.fromSdk(type.id());
        } catch (IllegalArgumentException unknownToThisWorker) {
            return; // a category newer than this worker: none of its types is polled here
        }
        if (id == null) {
            return;
        }
        Map<String, Boolean> flags = new HashMap<>();
        for (ActionConfigurationProperty property : type.actionConfigurationProperties()) {
            if (property.name() != null) {
                // A name listed twice is secret if either says so (or says nothing).
                flags.merge(property.name(), Boolean.FALSE.equals(property.secret()) ? Boolean.FALSE : Boolean.TRUE,
                        (a, b) -> a || b);
            }
        }
        secrets.put(id, PropertyFlags.of(flags));
    }

    /** One listing: secrets null when it failed, with the reason in problem. */
    private record Listing(Instant fetched, Instant expires, Map<ActionTypeId, PropertyFlags> secrets,
            String problem) {
        static Listing failed(Instant now, String problem) {
            return new Listing(now, now.plus(KEEP_FAILURE), null, problem);
        }
    }

    private static final class Slot {
        Listing listing;
    }

    /** Whose action types: a listing depends on the account (credentials) and the region (settings). */
    private record Account(ConnectionSettings settings, String credentialsKey) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Account a && settings.equals(a.settings)
                    && Objects.equals(credentialsKey, a.credentialsKey);
        }

        @Override
        public int hashCode() {
            return settings.hashCode() * 31 + Objects.hashCode(credentialsKey);
        }
    }
}
