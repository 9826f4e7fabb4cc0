package io.jenkins.plugins.codepipeline.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactCredentials;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactDownloader;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactS3Clients;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactUploader;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Section 9's child JVM: one artifact transfer through core's classes, as the CLI and the plugin's agent call make
 * it ({@link ArtifactS3Clients#build}, then {@link ArtifactDownloader#download} or {@link ArtifactUploader#upload}
 * with fixed artifact credentials), while the heap is watched: the used heap sampled every millisecond
 * ({@link MemoryMXBean}), and the heap pools before and after every collection (GC notifications).
 *
 * <pre>ArtifactsProbe download|upload ENDPOINT BUCKET KEY PATH IDENTITY SECRET</pre>
 *
 * Prints {@code RESULT nanos=… bytes=… files=… parts=… peakUsed=… peakBeforeGc=… peakAfterGc=… gcs=…}; nanos is the
 * transfer alone, client build and close included.
 */
public final class ArtifactsProbe {
    private ArtifactsProbe() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI endpoint = URI.create(args[1]);
        JobArtifact artifact = new JobArtifact("BenchArtifact", null, args[2], args[3]);
        Path path = Path.of(args[4]);
        ArtifactCredentials credentials = ArtifactCredentials.fixed(
                AwsSessionCredentials.create(args[5], args[6], "benchSessionToken"));

        AtomicLong peakUsed = new AtomicLong();
        AtomicLong peakBefore = new AtomicLong();
        AtomicLong peakAfter = new AtomicLong();
        AtomicInteger gcs = new AtomicInteger();
        watchCollections(peakBefore, peakAfter, gcs);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        long started = System.nanoTime();
        ArtifactStoreSettings settings = new ArtifactStoreSettings("eu-west-1", endpoint, null);
        String result;
        try (S3Client s3 = ArtifactS3Clients.build(settings, new ApacheHttpClientFactory())) {
            if (mode.equals("download")) {
                ArtifactDownloader.Result r = new ArtifactDownloader(s3, settings).download(artifact, path, credentials);
                result = "bytes=" + r.objectBytes() + " files=" + r.files() + " directories=" + r.directories()
                        + " parts=0 format=" + r.format();
            } else if (mode.equals("upload")) {
                ArtifactUploader.Result r = new ArtifactUploader(s3, settings).upload(artifact, path, null,
                        credentials);
                result = "bytes=" + r.bytes() + " files=" + r.files() + " directories=" + r.directories()
                        + " parts=" + r.parts() + " format=" + r.format();
            } else {
                throw new IllegalArgumentException("mode: download or upload, not " + mode);
            }
        }
        long nanos = System.nanoTime() - started;
        sampler.interrupt();
        sampler.join();
        peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        System.out.println("RESULT nanos=" + nanos + " " + result + " peakUsed=" + peakUsed.get() + " peakBeforeGc="
                + peakBefore.get() + " peakAfterGc=" + peakAfter.get() + " gcs=" + gcs.get() + " maxHeap="
                + memory.getHeapMemoryUsage().getMax());
    }

    /** The sum of the heap pools before and after each collection, the largest of each kept. */
    private static void watchCollections(AtomicLong peakBefore, AtomicLong peakAfter, AtomicInteger gcs) {
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                peakBefore.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools), Math::max);
                peakAfter.accumulateAndGet(heapSum(info.getGcInfo().getMemoryUsageAfterGc(), heapPools), Math::max);
                gcs.incrementAndGet();
            }, null, null);
        }
    }

    private static long heapSum(Map<String, MemoryUsage> pools, Set<String> heapPools) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> p : pools.entrySet()) {
            if (heapPools.contains(p.getKey())) {
                sum += p.getValue().getUsed();
            }
        }
        return sum;
    }
}
