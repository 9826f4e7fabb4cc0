package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.testing.S3ProxyServer;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3Proxy 2.6.0 in this JVM: a real S3 API server that checks SigV4 signatures, on 127.0.0.1 with a free port, over
 * jclouds' in-memory (transient) store. It ignores KMS headers and session tokens, so {@link #requests} records
 * every signed request's operation and headers, and {@link #answer} lets a test fail chosen requests.
 *
 * <p>A test class registers it as a static {@code @RegisterExtension} field: the server starts with one bucket and
 * one recording {@link #client()} before all of the class's tests, {@link #requests} and {@link #answer} are cleared
 * before each, and both close after all.
 */
final class S3ProxyFixture implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    static final String IDENTITY = "AKIDARTIFACTS";
    static final String SECRET = "artifactSecretKey";

    /** A signed request as it left the client. */
    record Request(String operation, Map<String, List<String>> headers) {
        String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().isEmpty() ? null : h.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final String bucket;
    private S3ProxyServer server;
    ArtifactStoreSettings settings;
    private S3Client client;
    private int keys;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Given each request's operation and how many of that operation came before; a non-null answer is thrown. */
    volatile BiFunction<String, Integer, RuntimeException> answer;

    S3ProxyFixture(String bucket) {
        this.bucket = bucket;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = new S3ProxyServer(IDENTITY, SECRET);
        settings = new ArtifactStoreSettings("eu-west-1", server.endpoint(), null);
        server.createBucket(bucket);
        client = recordingClient();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        requests.clear();
        answer = null;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        client.close();
        server.close();
    }

    static AwsSessionCredentials credentials(String token) {
        return AwsSessionCredentials.create(IDENTITY, SECRET, token);
    }

    /** An error as S3 words it, for {@link #answer}. */
    static S3Exception s3Error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(message).requestId("req-1")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3")
                        .build()).build();
    }

    /** The client the test's transfers use, built as the transfers build it, with the recording interceptor. */
    S3Client client() {
        return client;
    }

    /** An artifact in the bucket under a key no other artifact of the class has. */
    JobArtifact artifact(String name) {
        return new JobArtifact(name, null, bucket, "pipeline/" + name + "/key" + (++keys));
    }

    private S3Client recordingClient() {
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission c, ExecutionAttributes attributes) {
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                int before = (int) requests.stream().filter(r -> r.operation().equals(operation)).count();
                requests.add(new Request(operation, c.httpRequest().headers()));
                BiFunction<String, Integer, RuntimeException> a = answer;
                RuntimeException failure = a == null ? null : a.apply(operation, before);
                if (failure != null) {
                    throw failure;
                }
            }
        };
        return ArtifactS3Clients.build(settings, new ApacheHttpClientFactory(), List.of(recorder));
    }

    List<Request> requests(String operation) {
        List<Request> matching = new ArrayList<>();
        for (Request r : requests) {
            if (r.operation().equals(operation)) {
                matching.add(r);
            }
        }
        return matching;
    }
}
