package io.jenkins.plugins.codepipeline.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.CodePipelineClientBuilder;

/**
 * One {@link CodePipelineClient} per {@link ConnectionSettings}, reused across reports, at most {@code maxClients}
 * of them (least recently used goes first). Credentials are not part of a client: each request carries its own
 * (see {@link JobResultReporter}), so two Jenkins folders whose credentials share an id never share credentials.
 *
 * <p>A client is lent out with {@link #acquire}; an evicted client is closed once its last lease is returned.
 */
public final class CodePipelineClientCache implements AutoCloseable {
    public static final int DEFAULT_MAX_CLIENTS = 32;

    /** Clients never sign with their own credentials: a request without credentials is a bug, and fails loudly. */
    private static final AwsCredentialsProvider NO_CLIENT_CREDENTIALS = new AwsCredentialsProvider() {
        @Override
        public AwsCredentials resolveCredentials() {
            throw SdkClientException.create("no credentials were given with this request");
        }

        @Override
        public String toString() {
            return "NoClientCredentials";
        }
    };

    private final HttpClientFactory httpClients;
    private final int maxClients;
    /**
     * Timers for attempt timeouts, shared by every client of this cache: by default each SDK client starts a pool of
     * its own (up to 5 threads), which a cache of many clients would multiply. Made on first use.
     */
    private ScheduledExecutorService timers;
    private final Map<ConnectionSettings, Entry> clients = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicLong clientsCreated = new AtomicLong();
    private boolean closed;
    private int outstandingLeases;

    public CodePipelineClientCache(HttpClientFactory httpClients) {
        this(httpClients, DEFAULT_MAX_CLIENTS);
    }

    public CodePipelineClientCache(HttpClientFactory httpClients, int maxClients) {
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be at least 1");
        }
        this.httpClients = Objects.requireNonNull(httpClients, "httpClients");
        this.maxClients = maxClients;
    }

    /** Lends the client for these settings, building it on first use. Return it by closing the lease. */
    public synchronized Lease acquire(ConnectionSettings settings) {
        if (closed) {
            throw new IllegalStateException("the CodePipeline client cache is closed");
        }
        Entry entry = clients.get(settings);
        if (entry == null) {
            entry = new Entry(build(settings));
            clients.put(settings, entry);
            clientsCreated.incrementAndGet();
            evictBeyondLimit();
        }
        entry.leases++;
        outstandingLeases++;
        return new Lease(entry);
    }

    /** Clients held now. */
    public synchronized int size() {
        return clients.size();
    }

    /** Clients built since this cache was made. */
    public long clientsCreated() {
        return clientsCreated.get();
    }

    /** Closes every client; clients still lent out close when their lease is returned. */
    @Override
    public void close() {
        List<Entry> toClose = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Entry entry : clients.values()) {
                entry.evicted = true;
                if (entry.leases == 0) {
                    toClose.add(entry);
                }
            }
            clients.clear();
        }
        toClose.forEach(e -> e.client.close());
        synchronized (this) {
            shutDownTimersWhenUnused();
        }
    }

    /** The SDK does not shut down an executor it was given: once closed and every lease is back, this cache does. */
    private void shutDownTimersWhenUnused() {
        if (closed && outstandingLeases == 0 && timers != null) {
            timers.shutdownNow();
            timers = null;
        }
    }

    private void evictBeyondLimit() {
        Iterator<Entry> oldestFirst = clients.values().iterator();
        while (clients.size() > maxClients && oldestFirst.hasNext()) {
            Entry entry = oldestFirst.next();
            oldestFirst.remove();
            entry.evicted = true;
            if (entry.leases == 0) {
                entry.client.close();
            }
        }
    }

    private synchronized void release(Entry entry) {
        entry.leases--;
        outstandingLeases--;
        if (entry.evicted && entry.leases == 0) {
            entry.client.close();
        }
        shutDownTimersWhenUnused();
    }

    private CodePipelineClient build(ConnectionSettings settings) {
        CodePipelineClientBuilder builder = CodePipelineClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(NO_CLIENT_CREDENTIALS)
                .httpClientBuilder(httpClients.builder(settings.http()))
                // The reporter drives the attempts itself, with the SDK's retry strategy, so that it sees each one.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(settings.attemptTimeout())
                        .scheduledExecutorService(timers()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    private ScheduledExecutorService timers() {
        if (timers == null) {
            AtomicLong threads = new AtomicLong();
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, task -> {
                Thread thread = new Thread(task, "codepipeline-client-timer-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            // Every call schedules its attempt timeout and cancels it when answered: without this, a poller's
            // cancelled timeouts stay queued for their whole 30 s.
            pool.setRemoveOnCancelPolicy(true);
            timers = pool;
        }
        return timers;
    }

    private static final class Entry {
        final CodePipelineClient client;
        int leases;
        boolean evicted;

        Entry(CodePipelineClient client) {
            this.client = client;
        }
    }

    /** A lent client; closing the lease returns it. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean returned;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public CodePipelineClient client() {
            return entry.client;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                release(entry);
            }
        }
    }
}
