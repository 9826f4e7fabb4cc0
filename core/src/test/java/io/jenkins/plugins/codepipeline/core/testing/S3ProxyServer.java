package io.jenkins.plugins.codepipeline.core.testing;

import java.net.URI;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * S3Proxy 2.6.0 in this JVM: a real S3 API server that checks SigV4 signatures, on 127.0.0.1 with a free port, over
 * jclouds' in-memory (transient) store, accepting one identity. Unknown headers (the SDK's checksum headers) are
 * ignored, as S3Proxy needs for SDK 2.33.4's GetObject. Shared with the CLI's tests through core's test-jar.
 */
public final class S3ProxyServer implements AutoCloseable {
    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final URI endpoint;

    public S3ProxyServer(String identity, String secret) throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, identity, secret)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The store behind the server, to put and read objects without going through S3. */
    public BlobStore blobs() {
        return context.getBlobStore();
    }

    public void createBucket(String bucket) {
        blobs().createContainerInLocation(null, bucket);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
