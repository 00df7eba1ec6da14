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
 * the {@code postgres} system user (created by the package).
 *
 * <p>Every connection needs a password ({@code initdb --auth=scram-sha-256}, no trust entry). The
 * superuser {@value #SUPERUSER} gets a generated password, kept in {@code superuser.password} beside
 * the data directory (0600) and used only here to create the catalog role; the jobs, Spark and Trino
 * connect as {@value #USER}, a role with no superuser, CREATEDB or CREATEROLE right that owns the
 * catalog database (so it cannot, e.g., {@code COPY ... TO PROGRAM}), with its own generated password
 * in {@code clickstream.password} (0600, {@link #passwordFile()}). Passwords go to PostgreSQL through
 * files and SQL, never on a command line.
 */
public final class LocalPostgres implements AutoCloseable {
    /** Database that holds the Iceberg catalog tables. */
    public static final String DATABASE = "iceberg_catalog";
    /** Role the jobs and Trino connect as: owns the catalog database, nothing more. */
    public static final String USER = "clickstream";
    /** The cluster's superuser, used only to create {@link #USER} and the database. */
    public static final String SUPERUSER = "postgres";

    private final TiedProcess process;
    private final int port;
    private final Path dataDir;
    private final boolean ephemeral;
    private final String superuserPassword;
    private final String password;

    private LocalPostgres(TiedProcess process, int port, Path dataDir, boolean ephemeral, String superuserPassword,
            String password) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.ephemeral = ephemeral;
        this.superuserPassword = superuserPassword;
        this.password = password;
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
        Path superuserFile = parent.resolve("superuser.password");
        Path userFile = parent.resolve(USER + ".password");
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            TrinoSecurity.writeOwnerOnly(superuserFile, TrinoSecurity.randomSecret() + "\n");
            TrinoSecurity.writeOwnerOnly(userFile, TrinoSecurity.randomSecret() + "\n");
            if (isRoot()) {
                // initdb runs as postgres and reads the superuser's password from the file.
                run(List.of("chown", "postgres:postgres", superuserFile.toString(), userFile.toString()), parent, log);
            }
            run(asServiceUser(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", SUPERUSER,
                "--pwfile=" + superuserFile, "--auth=scram-sha-256", "-E", "UTF8", "--no-sync")), parent, log);
        } else if (!Files.exists(superuserFile) || !Files.exists(userFile)) {
            throw new IOException(dataDir + " was initialised without passwords (trust authentication, an older version "
                + "of this stack): delete " + parent + " to start a fresh catalog with password authentication");
        }
        String superuserPassword = Files.readString(superuserFile).strip();
        String password = Files.readString(userFile).strip();
        int port = requestedPort == 0 ? Ports.free() : requestedPort;
        TiedProcess p = TiedProcess.start("postgres", asServiceUser(List.of(bin.resolve("postgres").toString(),
            "-D", dataDir.toString(), "-p", String.valueOf(port), "-k", parent.toString(),
            "-c", "listen_addresses=" + ServiceOptions.bindHost())), parent, log, "INT", ServiceOptions.stopGrace(), java.util.Map.of());
        LocalPostgres pg = new LocalPostgres(p, port, dataDir, ephemeral, superuserPassword, password);
        if (!Ports.await(pg::acceptsConnections, p::isAlive, timeout)) {
            pg.close();
            throw new IOException("PostgreSQL did not start within " + timeout + "; log: " + log + "\n" + tail(log));
        }
        pg.createRoleAndDatabaseIfMissing();
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
        return catalog(ServingCatalog.DEFAULT_CATALOG_NAME, warehouse, ServingCatalog.DEFAULT_NAMESPACE);
    }

    /** The serving catalog in this database, connecting as {@link #USER} with its password (and password file). */
    public ServingCatalog catalog(String catalogName, String warehouse, String namespace) {
        return new ServingCatalog(jdbcUrl(), USER, password, catalogName, warehouse, namespace, passwordFile().toString());
    }

    /** The catalog role's password. */
    public String password() {
        return password;
    }

    /** The file (0600) holding the catalog role's password: what jobs get ({@code --jdbc-password-file}). */
    public Path passwordFile() {
        return dataDir.toAbsolutePath().getParent().resolve(USER + ".password");
    }

    @Override
    public void close() {
        process.close();
        if (ephemeral) {
            deleteTree(dataDir.getParent());
        }
    }

    private boolean acceptsConnections() {
        try (Connection c = superuserConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection superuserConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", SUPERUSER, superuserPassword);
    }

    /**
     * Creates the catalog role (no superuser, CREATEDB or CREATEROLE) and its database if missing, and
     * (re)sets the role's password from its file. The statements are {@code catalog/catalog_role.sql}.
     */
    private void createRoleAndDatabaseIfMissing() throws IOException {
        try (Connection c = superuserConnection(); Statement s = c.createStatement()) {
            String escaped = password.replace("'", "''");
            for (String sql : LocalPostgres.statements("catalog/catalog_role.sql")) {
                sql = sql.replace("${user}", USER).replace("${database}", DATABASE).replace("${password}", escaped);
                String exists = sql.startsWith("CREATE DATABASE") ? "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'"
                    : sql.startsWith("CREATE ROLE") ? "SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'" : null;
                if (exists != null) {
                    try (var rs = s.executeQuery(exists)) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                }
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IOException("cannot create the catalog role and database " + DATABASE, e);
        }
    }

    /** The statements of a {@code ;}-separated SQL resource, {@code --} comment lines removed. */
    static List<String> statements(String resource) throws IOException {
        try (java.io.InputStream in = LocalPostgres.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " missing from the classpath");
            }
            String script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            List<String> out = new ArrayList<>();
            for (String sql : script.split(";")) {
                if (!sql.isBlank()) {
                    out.add(sql.strip());
                }
            }
            return out;
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
