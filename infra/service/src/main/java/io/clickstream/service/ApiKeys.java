package io.clickstream.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys the service accepts, stored as SHA-256 hex digests only: the key file never holds a
 * key, so reading it (a backup, a support bundle) gives no access. Keys are 256-bit random values, so
 * an unsalted fast hash is enough (there is no dictionary to attack).
 *
 * <p>{@link #loadOrCreate(Path)} creates the file with one new key when it is absent (mode 0600,
 * created atomically so two starts cannot both write) and returns that key so that the caller prints
 * it once; it cannot be shown again. More keys: append {@code sha256sum} digests of new keys.
 * {@link #authenticate(String)} returns the key's id (a prefix of its digest) that rate limits and logs
 * use, never the key.
 */
public final class ApiKeys {
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Set<String> digests;

    /** What {@link #loadOrCreate} found: the keys, and the new key if it created the file. */
    public record Loaded(ApiKeys keys, Optional<String> createdKey) {}

    public ApiKeys(Set<String> digests) {
        for (String d : digests) {
            if (!DIGEST.matcher(d).matches()) {
                throw new IllegalArgumentException("not a SHA-256 hex digest: '" + d + "'");
            }
        }
        this.digests = Set.copyOf(digests);
    }

    /** Hex SHA-256 of the key's UTF-8 bytes: what the key file stores. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** A new random key: 32 bytes from {@link SecureRandom}, URL-safe Base64 with a recognisable prefix. */
    public static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "cs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The id of an accepted key (first 12 hex digits of its digest), or empty if the key is not accepted. */
    public Optional<String> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
            return Optional.empty();
        }
        String digest = hash(presentedKey);
        return digests.contains(digest) ? Optional.of(digest.substring(0, 12)) : Optional.empty();
    }

    public int size() {
        return digests.size();
    }

    /** Reads the digests in {@code file} (blank lines and {@code #} comments ignored). */
    public static ApiKeys load(Path file) {
        try {
            Set<String> d = new LinkedHashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String s = line.strip();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    // sha256sum writes "<digest>  <name>": take the first word.
                    d.add(s.split("\\s+", 2)[0].toLowerCase());
                }
            }
            if (d.isEmpty()) {
                throw new IllegalStateException("no API key digest in " + file);
            }
            return new ApiKeys(d);
        } catch (IOException e) {
            throw new UncheckedIOException("reading API keys from " + file, e);
        }
    }

    /**
     * Loads {@code file}, or creates it with one new key (mode 0600) if it does not exist. The created
     * key is returned once and stored nowhere in clear.
     */
    public static Loaded loadOrCreate(Path file) {
        if (Files.exists(file)) {
            return new Loaded(load(file), Optional.empty());
        }
        String key = newKey();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, List.of("# SHA-256 digests of the API keys of the clickstream HTTP API, one a line", hash(key)),
                StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            // Another process created it between exists() and createFile(): use its keys.
            return new Loaded(load(file), Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("creating API key file " + file, e);
        }
        return new Loaded(load(file), Optional.of(key));
    }
}
