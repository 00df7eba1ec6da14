package io.clickstream.infra.lakehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from the Debian package, initialised and started by the project on a free
 * loopback port: it holds the Iceberg JDBC catalog that Flink, Spark and Trino share.
 *
 * <p>PostgreSQL refuses to run as root, so when this JVM is root the cluster is owned by and run as
 * the {@code postgres} system user (created by the package). Local connections use trust
 * authentication: this is the embedded development stack; a deployment points the jobs at its own
 * database through {@link ServingCatalog}.
 */
public final class LocalPostgres implements AutoCloseable {
    /** Database that holds the Iceberg catalog tables. */
    public static final String DATABASE = "iceberg_catalog";
    /** Role the jobs and Trino connect as. */
    public static final String USER = "clickstream";

    private final TiedProcess process;
    private final int port;
    private final Path dataDir;
    private final boolean ephemeral;

    private LocalPostgres(TiedProcess process, int port, Path dataDir, boolean ephemeral) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.ephemeral = ephemeral;
    }

    /** Starts a fresh cluster in a temporary directory, deleted again by {@link #close()}. */
    public static LocalPostgres startEphemeral(Duration timeout) throws IOException {
        Path dir = Files.createTempDirectory("clickstream-pg-");
        return start(dir.resolve("data"), 0, timeout, true);
    }

    /**
     * Starts the cluster in {@code dataDir} (initialised on first use) on {@code port} (0 = any free
     * port) and creates the catalog database if missing. When running as root, every parent of
     * {@code dataDir} must be traversable by the {@code postgres} user.
     */
    public static LocalPostgres start(Path dataDir, int port, Duration timeout) throws IOException {
        return start(dataDir, port, timeout, false);
    }

    private static LocalPostgres start(Path dataDir, int requestedPort, Duration timeout, boolean ephemeral) throws IOException {
        Path bin = binDir();
        Path parent = dataDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path log = parent.resolve("postgres.log");
        if (isRoot()) {
            run(List.of("chown", "postgres:postgres", parent.toString()), parent, log);
        }
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            run(asServiceUser(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER,
                "-A", "trust", "-E", "UTF8", "--no-sync")), parent, log);
        }
        int port = requestedPort == 0 ? Ports.free() : requestedPort;
        TiedProcess p = TiedProcess.start("postgres", asServiceUser(List.of(bin.resolve("postgres").toString(),
            "-D", dataDir.toString(), "-p", String.valueOf(port), "-k", parent.toString(),
            "-c", "listen_addresses=" + ServiceOptions.bindHost())), parent, log, "INT", ServiceOptions.stopGrace(), java.util.Map.of());
        LocalPostgres pg = new LocalPostgres(p, port, dataDir, ephemeral);
        if (!Ports.await(pg::acceptsConnections, p::isAlive, timeout)) {
            pg.close();
            throw new IOException("PostgreSQL did not start within " + timeout + "; log: " + log + "\n" + tail(log));
        }
        pg.createDatabaseIfMissing();
        return pg;
    }

    /** JDBC URL of the catalog database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.serverPid();
    }

    /** The serving catalog in this database, with {@code warehouse} as its root. */
    public ServingCatalog catalog(String warehouse) {
        return new ServingCatalog(jdbcUrl(), USER, "", ServingCatalog.DEFAULT_CATALOG_NAME, warehouse,
            ServingCatalog.DEFAULT_NAMESPACE);
    }

    @Override
    public void close() {
        process.close();
        if (ephemeral) {
            deleteTree(dataDir.getParent());
        }
    }

    private boolean acceptsConnections() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IOException("cannot create database " + DATABASE, e);
        }
    }

    /** The newest installed server's bin directory ({@code /usr/lib/postgresql/<major>/bin}). */
    static Path binDir() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var best = versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> majorVersion(b.getParent())));
                if (best.isPresent()) {
                    return best.get();
                }
            }
        }
        throw new IOException("No PostgreSQL server found under /usr/lib/postgresql: install the Debian package "
            + "'postgresql' (infra/bin/ensure-tools.sh does)");
    }

    private static int majorVersion(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asServiceUser(List<String> cmd) {
        if (!isRoot()) {
            return cmd;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
            "--reset-env", "--"));
        // --reset-env drops the environment; keep the tag that lets `make test` find the processes of its run.
        String tag = System.getenv(ProcessTag.ENV);
        if (tag != null && !tag.isEmpty()) {
            wrapped.addAll(List.of("env", ProcessTag.ENV + "=" + tag));
        }
        wrapped.addAll(cmd);
        return wrapped;
    }

    private static void run(List<String> cmd, Path dir, Path log) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "); log: " + log + "\n" + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static String tail(Path log) {
        try {
            String s = Files.exists(log) ? Files.readString(log) : "";
            return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
        } catch (IOException e) {
            return "";
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: temporary files
        }
    }
}
