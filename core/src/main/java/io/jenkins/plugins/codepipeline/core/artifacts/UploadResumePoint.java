package io.jenkins.plugins.codepipeline.core.artifacts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an interrupted multipart upload goes on: its bucket, key and upload id, the part size, what the source was
 * (a zipped directory, or a file with its size and modification time), and the parts sent so far (number, ETag,
 * length and the SHA-256 of their bytes). Holds JDK types only and no secret: an upload id is no credential, it only
 * names the upload to the credentials that may write the object.
 *
 * <p>To carry it where core's classes may not go (a Jenkins remoting channel), use {@link #encode()} and
 * {@link #decode(String)}, or the accessors and the public constructor.
 */
public final class UploadResumePoint implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int FORMAT = 1;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * One part sent.
     *
     * @param number starting at 1
     * @param eTag   as UploadPart answered it
     * @param length the part's bytes
     * @param sha256 the SHA-256 of the part's bytes, lower-case hex
     */
    public record Part(int number, String eTag, long length, String sha256) {
    }

    private final String bucket;
    private final String key;
    private final String uploadId;
    private final int partSize;
    private final boolean zipped;
    private final long sourceSize;
    private final long sourceModified;
    private final String[] eTags;
    private final long[] lengths;
    private final String[] sha256s;

    /**
     * @param zipped         the source was a directory, zipped while it was sent
     * @param sourceSize     a file's size; -1 for a directory
     * @param sourceModified a file's last modification time in milliseconds; -1 for a directory
     * @param parts          numbered 1, 2, ... in order
     * @throws IllegalArgumentException when a value is missing or the parts are not numbered 1, 2, ...
     */
    public UploadResumePoint(String bucket, String key, String uploadId, int partSize, boolean zipped,
            long sourceSize, long sourceModified, List<Part> parts) {
        this.bucket = bucket;
        this.key = key;
        this.uploadId = uploadId;
        this.partSize = partSize;
        this.zipped = zipped;
        this.sourceSize = sourceSize;
        this.sourceModified = sourceModified;
        List<Part> given = parts == null ? List.of() : parts;
        this.eTags = new String[given.size()];
        this.lengths = new long[given.size()];
        this.sha256s = new String[given.size()];
        for (int i = 0; i < given.size(); i++) {
            Part part = Objects.requireNonNull(given.get(i), "part");
            if (part.number() != i + 1) {
                throw new IllegalArgumentException("the parts of a resume point must be numbered 1, 2, ...; part "
                        + (i + 1) + " is numbered " + part.number());
            }
            eTags[i] = part.eTag();
            lengths[i] = part.length();
            sha256s[i] = part.sha256() == null ? null : part.sha256().toLowerCase(Locale.ROOT);
        }
        check();
    }

    private void check() {
        if (blank(bucket) || blank(key) || blank(uploadId)) {
            throw new IllegalArgumentException("a resume point needs the bucket, key and upload id");
        }
        if (partSize <= 0) {
            throw new IllegalArgumentException("a resume point needs a positive part size, not " + partSize);
        }
        if (eTags == null || lengths == null || sha256s == null || eTags.length != lengths.length
                || eTags.length != sha256s.length) {
            throw new IllegalArgumentException("a resume point needs the ETag, length and SHA-256 of every part");
        }
        for (int i = 0; i < eTags.length; i++) {
            if (blank(eTags[i]) || lengths[i] <= 0 || lengths[i] > partSize || sha256s[i] == null
                    || !SHA256_HEX.matcher(sha256s[i]).matches()) {
                throw new IllegalArgumentException("part " + (i + 1) + " of the resume point needs an ETag, a "
                        + "length from 1 to the part size and a SHA-256 in hex");
            }
            if (i < eTags.length - 1 && lengths[i] != partSize) {
                throw new IllegalArgumentException("part " + (i + 1) + " of the resume point is not the last, so it "
                        + "must be " + partSize + " bytes long, not " + lengths[i]);
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        try {
            check();
        } catch (IllegalArgumentException e) {
            throw new InvalidObjectException(e.getMessage());
        }
    }

    public String bucket() {
        return bucket;
    }

    public String key() {
        return key;
    }

    public String uploadId() {
        return uploadId;
    }

    public int partSize() {
        return partSize;
    }

    /** Whether the source was a directory, zipped while it was sent. */
    public boolean zipped() {
        return zipped;
    }

    /** The file's size; -1 for a directory. */
    public long sourceSize() {
        return sourceSize;
    }

    /** The file's last modification time in milliseconds; -1 for a directory. */
    public long sourceModified() {
        return sourceModified;
    }

    /** The parts sent, numbered 1, 2, ... */
    public List<Part> parts() {
        List<Part> parts = new ArrayList<>(eTags.length);
        for (int i = 0; i < eTags.length; i++) {
            parts.add(new Part(i + 1, eTags[i], lengths[i], sha256s[i]));
        }
        return List.copyOf(parts);
    }

    /** How many parts were sent. */
    public int partCount() {
        return eTags.length;
    }

    /** The bytes sent in all parts: where the source goes on. */
    public long bytes() {
        long sum = 0;
        for (long length : lengths) {
            sum += length;
        }
        return sum;
    }

    /** The point as one string (URL-safe Base64), for {@link #decode(String)}. */
    public String encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeUTF(bucket);
            out.writeUTF(key);
            out.writeUTF(uploadId);
            out.writeInt(partSize);
            out.writeBoolean(zipped);
            out.writeLong(sourceSize);
            out.writeLong(sourceModified);
            out.writeInt(eTags.length);
            for (int i = 0; i < eTags.length; i++) {
                out.writeUTF(eTags[i]);
                out.writeLong(lengths[i]);
                out.writeUTF(sha256s[i]);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // not from a byte array
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /**
     * @throws IllegalArgumentException when {@code encoded} is not what {@link #encode()} gave
     */
    public static UploadResumePoint decode(String encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(
                Base64.getUrlDecoder().decode(Objects.requireNonNull(encoded, "encoded"))))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("not an upload resume point of format " + FORMAT + ": " + format);
            }
            String bucket = in.readUTF();
            String key = in.readUTF();
            String uploadId = in.readUTF();
            int partSize = in.readInt();
            boolean zipped = in.readBoolean();
            long sourceSize = in.readLong();
            long sourceModified = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > MultipartUploadStream.MAX_PARTS) {
                throw new IllegalArgumentException("an upload resume point with " + count + " parts");
            }
            List<Part> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                parts.add(new Part(i + 1, in.readUTF(), in.readLong(), in.readUTF()));
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("an upload resume point with trailing bytes");
            }
            return new UploadResumePoint(bucket, key, uploadId, partSize, zipped, sourceSize, sourceModified, parts);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an upload resume point (" + e + ")", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UploadResumePoint p && bucket.equals(p.bucket) && key.equals(p.key)
                && uploadId.equals(p.uploadId) && partSize == p.partSize && zipped == p.zipped
                && sourceSize == p.sourceSize && sourceModified == p.sourceModified
                && Arrays.equals(eTags, p.eTags) && Arrays.equals(lengths, p.lengths)
                && Arrays.equals(sha256s, p.sha256s);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, key, uploadId, partSize, Arrays.hashCode(lengths));
    }

    @Override
    public String toString() {
        return "UploadResumePoint[s3://" + bucket + "/" + key + ", upload " + uploadId + ", " + eTags.length
                + " part(s) of " + partSize + " bytes sent, " + bytes() + " bytes, " + (zipped ? "zipped directory"
                : "file of " + sourceSize + " bytes") + "]";
    }
}
