package io.clickstream.infra.lakehouse;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A Trino server installation: {@code trino-server-core} plus the Iceberg plugin, both Maven
 * artifacts that the build of this module downloads. They are unpacked once into a cache directory
 * ({@code $CLICKSTREAM_CACHE}, default {@code ~/.cache/clickstream}) and reused by every start.
 * Also finds a JDK that can run it (Trino 476 needs Java 22+; the build itself runs on Java 17).
 */
public final class TrinoInstall {
    static final String ARTIFACTS_RESOURCE = "clickstream/trino.artifacts";
    static final int MIN_JAVA = 22;

    private final Path home;
    private final Path java;

    private TrinoInstall(Path home, Path java) {
        this.home = home;
        this.java = java;
    }

    /** The server directory ({@code lib/}, {@code plugin/iceberg/}). */
    public Path home() {
        return home;
    }

    /** The {@code java} executable that runs the server. */
    public Path java() {
        return java;
    }

    /** Returns the installation, unpacking the artifacts first if this is the first use. */
    public static synchronized TrinoInstall ensure() throws IOException {
        List<Path> artifacts = artifacts();
        Path server = artifacts.stream().filter(p -> p.getFileName().toString().startsWith("trino-server-core")).findFirst()
            .orElseThrow(() -> new IOException("trino-server-core tarball missing from " + ARTIFACTS_RESOURCE));
        Path iceberg = artifacts.stream().filter(p -> p.getFileName().toString().startsWith("trino-iceberg")).findFirst()
            .orElseThrow(() -> new IOException("trino-iceberg zip missing from " + ARTIFACTS_RESOURCE));
        String version = server.getParent().getFileName().toString();
        Path home = cacheDir().resolve("trino-server-" + version);
        if (!Files.exists(home.resolve(".complete"))) {
            unpack(server, iceberg, home);
        }
        return new TrinoInstall(home, findJava());
    }

    private static void unpack(Path serverTarball, Path icebergZip, Path home) throws IOException {
        long t0 = System.nanoTime();
        System.out.println("Unpacking Trino into " + home + " (first use only) ...");
        Path tmp = Files.createDirectories(home.getParent()).resolve(home.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        LocalPostgres.deleteTree(tmp);
        Files.createDirectories(tmp);
        try {
            Process tar = new ProcessBuilder("tar", "xzf", serverTarball.toString(), "-C", tmp.toString(),
                "--strip-components=1").inheritIO().start();
            if (tar.waitFor() != 0) {
                throw new IOException("tar failed on " + serverTarball);
            }
            Path plugin = Files.createDirectories(tmp.resolve("plugin"));
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(icebergZip))) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    Path target = plugin.resolve(e.getName().replaceFirst("^trino-iceberg-[^/]+", "iceberg")).normalize();
                    if (!target.startsWith(plugin)) {
                        throw new IOException("zip entry outside the plugin directory: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.writeString(tmp.resolve(".complete"), serverTarball + "\n" + icebergZip + "\n");
            LocalPostgres.deleteTree(home);
            Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            LocalPostgres.deleteTree(tmp);
        }
        System.out.printf("Trino unpacked in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static Path cacheDir() {
        String env = System.getenv("CLICKSTREAM_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "clickstream");
    }

    private static List<Path> artifacts() throws IOException {
        try (InputStream in = TrinoInstall.class.getClassLoader().getResourceAsStream(ARTIFACTS_RESOURCE)) {
            if (in == null) {
                throw new IOException(ARTIFACTS_RESOURCE + " missing: build infra/lakehouse with Maven first");
            }
            List<Path> out = new ArrayList<>();
            for (String s : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(File.pathSeparator)) {
                if (!s.isBlank()) {
                    out.add(Path.of(s.trim()));
                }
            }
            return out;
        }
    }

    /**
     * A JDK with Java {@value #MIN_JAVA}+: {@code $TRINO_JAVA_HOME}, else the newest such JDK under
     * {@code /usr/lib/jvm}, read from each JDK's {@code release} file.
     */
    static Path findJava() throws IOException {
        String env = System.getenv("TRINO_JAVA_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env, "bin", "java");
        }
        Path jvms = Path.of("/usr/lib/jvm");
        Optional<Path> best = Optional.empty();
        int bestVersion = 0;
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                for (Path d : dirs.sorted(Comparator.naturalOrder()).toList()) {
                    int v = javaVersion(d);
                    if (v >= MIN_JAVA && v > bestVersion && Files.isExecutable(d.resolve("bin/java"))) {
                        best = Optional.of(d.resolve("bin/java"));
                        bestVersion = v;
                    }
                }
            }
        }
        return best.orElseThrow(() -> new IOException("Trino needs Java " + MIN_JAVA + "+: none under /usr/lib/jvm; "
            + "install one (e.g. a Temurin JDK) or set TRINO_JAVA_HOME"));
    }

    private static int javaVersion(Path jdk) {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        try (InputStream in = Files.newInputStream(release)) {
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("JAVA_VERSION", "0").replace("\"", "");
            return Integer.parseInt(v.split("[.+-]")[0]);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
