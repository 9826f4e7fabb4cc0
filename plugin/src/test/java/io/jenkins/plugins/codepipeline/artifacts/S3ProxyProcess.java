package io.jenkins.plugins.codepipeline.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3Proxy 2.6.0 (a real S3 API server that checks SigV4 signatures) in a child JVM, on 127.0.0.1 and a free port,
 * over jclouds' in-memory (transient) store, accepting one identity. A child JVM because S3Proxy's Jetty 11 and
 * jclouds must not meet JenkinsRule's class path. The jar with its dependencies is the one the plugin's pom copies to
 * {@code target/s3proxy/s3proxy.jar} and names in the system property {@value #JAR_PROPERTY}; without it the test is
 * skipped. S3Proxy ignores KMS headers and session tokens: tests that check them watch the requests themselves.
 *
 * <p>The test's own client ({@link #put}, {@link #get}, ...) is set up as the plugin's client must be against such a
 * server: endpoint override, path-style access, checksums only when required.
 */
public final class S3ProxyProcess implements AutoCloseable {
    public static final String JAR_PROPERTY = "codepipeline.test.s3proxy.jar";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final Path log;
    private final Process process;
    private final URI endpoint;
    private final S3Client client;
    private final Thread stopAtExit;

    private S3ProxyProcess(Path jar, String identity, String credential) throws Exception {
        directory = Files.createTempDirectory("s3proxy");
        log = directory.resolve("s3proxy.log");
        int port = freePort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        Path properties = directory.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + identity,
                "s3proxy.credential=" + credential,
                // SDK 2.33.4 sends headers S3Proxy 2.x does not know (GetObject would answer 501)
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=transient",
                "jclouds.identity=identity",
                "jclouds.credential=credential",
                ""), StandardCharsets.UTF_8);
        // The test's client first: nothing is started when it cannot be made.
        client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(identity, credential)))
                .httpClient(ApacheHttpClient.builder().build())
                .build();
        try {
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        // A test JVM that ends without close() (a fork killed on timeout) does not leave S3Proxy running.
        Process started = process;
        stopAtExit = new Thread(started::destroyForcibly, "stop S3Proxy " + endpoint);
        Runtime.getRuntime().addShutdownHook(stopAtExit);
        try {
            awaitAnswer();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Starts S3Proxy accepting {@code identity}/{@code credential}; skips the test (an assumption) when the jar is not
     * given, as when the test runs outside Maven.
     */
    public static S3ProxyProcess start(String identity, String credential) throws Exception {
        String jar = System.getProperty(JAR_PROPERTY);
        Assumptions.assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "S3Proxy's jar is not there (system property " + JAR_PROPERTY + " = " + jar + "): run the artifact "
                + "tests with Maven (mvn verify -pl plugin), which copies org.gaul:s3proxy:2.6.0:jar-with-dependencies "
                + "to target/s3proxy/s3proxy.jar and sets the property");
        // The free port is found, then given to S3Proxy: another process may take it in between. S3Proxy 2.6.0 then
        // exits with "Failed to bind to /127.0.0.1:PORT", and a new port is tried.
        for (int attempt = 1; ; attempt++) {
            try {
                return new S3ProxyProcess(Path.of(jar), identity, credential);
            } catch (PortTakenException e) {
                if (attempt == 3) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        }
    }

    /** S3Proxy exited because its port was taken meanwhile. */
    private static final class PortTakenException extends Exception {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits until S3Proxy answers a signed ListBuckets; fails with its output if it died or did not answer. */
    private void awaitAnswer() throws InterruptedException, PortTakenException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SdkException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = output();
                String message = "S3Proxy exited with " + process.exitValue() + ":\n" + output;
                if (output.contains("Failed to bind") || output.contains("BindException")
                        || output.contains("Address already in use")) {
                    throw new PortTakenException(message);
                }
                throw new IllegalStateException(message);
            }
            try {
                client.listBuckets();
                return;
            } catch (SdkException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("S3Proxy did not answer on " + endpoint + " within "
                + START_TIMEOUT.toSeconds() + " s (" + last + "):\n" + output());
    }

    /** What S3Proxy printed so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    /** Deletes an (empty) bucket: uploads to it then fail with NoSuchBucket. */
    public void deleteBucket(String bucket) {
        client.deleteBucket(b -> b.bucket(bucket));
    }

    public void put(String bucket, String key, byte[] content) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    public void put(String bucket, String key, Path file) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
    }

    /** The object's bytes (the tests' objects are small). */
    public byte[] get(String bucket, String key) {
        ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        return bytes.asByteArray();
    }

    /** Writes the object to {@code file} (replaced). */
    public Path download(String bucket, String key, Path file) throws IOException {
        try (InputStream in = client.getObject(b -> b.bucket(bucket).key(key))) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    public boolean exists(String bucket, String key) {
        try {
            client.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The object's user metadata and content type, as HeadObject gives them. */
    public HeadObjectResponse head(String bucket, String key) {
        return client.headObject(b -> b.bucket(bucket).key(key));
    }

    /** The keys in the bucket. */
    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    @Override
    public void close() throws IOException {
        client.close();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook stops the process
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
