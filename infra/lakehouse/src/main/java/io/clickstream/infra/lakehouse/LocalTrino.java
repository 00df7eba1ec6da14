package io.clickstream.infra.lakehouse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A real single-node Trino server (coordinator and worker in one JVM) listening on 127.0.0.1 only
 * ({@link ServiceOptions#BIND_HOST}), with one Iceberg
 * catalog generated from the same {@link ServingCatalog} the jobs write to. Sized for a 2-core
 * machine: 1 GiB heap by default, queries limited to half of it.
 *
 * <p>Clients connect over HTTPS with a password ({@link TrinoSecurity}: a self-signed certificate,
 * the users {@value TrinoSecurity#ADMIN} and the read-only {@value TrinoSecurity#BI}, file-based
 * access control). Trino accepts passwords over HTTPS only and refuses them, and anonymous requests,
 * on its HTTP port; that port stays open (on the bind address, a second free port) because the
 * node's own discovery and internal requests use it, authenticated by the generated shared secret.
 * {@link #port()} is the HTTPS port.
 *
 * <p>Started by the demo, by {@code infra/bin/lakehouse.sh} for a long-running stack, and by the
 * tests; stops on {@link #close()} or when this JVM dies.
 */
public final class LocalTrino implements AutoCloseable {
    /**
     * Trino catalog name under which BI tools see the serving tables: read-only for everyone by the
     * connector itself ({@code iceberg.security=read_only}), because Trino's file-based access control
     * lets any reader run table procedures ({@code ALTER TABLE ... EXECUTE expire_snapshots}, {@code
     * remove_orphan_files}), which no BI user should.
     */
    public static final String CATALOG = "lakehouse";
    /**
     * The same Iceberg catalog, writable, for {@link TrinoSecurity#ADMIN} only (access rules): table
     * maintenance and the tests' writes.
     */
    public static final String ADMIN_CATALOG = "lakehouse_admin";

    private final TiedProcess process;
    private final int port;
    private final int httpPort;
    private final Path workDir;
    private final TrinoSecurity security;
    private final Duration startTime;

    private LocalTrino(TiedProcess process, int port, int httpPort, Path workDir, TrinoSecurity security, Duration startTime) {
        this.process = process;
        this.port = port;
        this.httpPort = httpPort;
        this.workDir = workDir;
        this.security = security;
        this.startTime = startTime;
    }

    /** Starts Trino with its configuration and data under {@code workDir}, on any free port, with a 1 GiB heap. */
    public static LocalTrino start(Path workDir, ServingCatalog catalog, Duration timeout) throws IOException {
        return start(workDir, catalog, 0, "1G", timeout);
    }

    /**
     * Starts Trino with HTTPS on {@code port} (0 = any free port) and {@code heap} (a JVM size such as
     * {@code 1G}). The certificate and passwords are generated on the first start in {@code workDir}
     * and reused by later ones.
     */
    public static LocalTrino start(Path workDir, ServingCatalog catalog, int port, String heap, Duration timeout) throws IOException {
        long t0 = System.nanoTime();
        TrinoInstall install = TrinoInstall.ensure();
        int httpsPort = port == 0 ? Ports.free() : port;
        int httpPort = Ports.free();
        Files.createDirectories(workDir);
        TrinoSecurity security = TrinoSecurity.ensure(workDir, install.java(), CATALOG, catalog.namespace());
        // etc/ holds the catalog's database password and the keystore password: owner-only.
        Path etc = TrinoSecurity.ownerOnlyDir(workDir.resolve("etc"));
        Path catalogDir = Files.createDirectories(etc.resolve("catalog"));
        Path data = Files.createDirectories(workDir.resolve("data"));
        Map<String, String> config = new java.util.LinkedHashMap<>(Map.of(
            "coordinator", "true",
            "node-scheduler.include-coordinator", "true",
            "http-server.http.port", String.valueOf(httpPort),
            "discovery.uri", "http://127.0.0.1:" + httpPort,
            "query.max-memory", "512MB",
            "query.max-memory-per-node", "512MB",
            "plugin.dir", install.home().resolve("plugin").toString(),
            "catalog.config-dir", catalogDir.toString()));
        config.putAll(security.serverConfig(httpsPort));
        // Named explicitly (Trino's default is etc/ under its working directory, which is workDir here too).
        config.put("password-authenticator.config-files", etc.resolve("password-authenticator.properties").toString());
        config.put("access-control.config-files", etc.resolve("access-control.properties").toString());
        write(etc.resolve("config.properties"), config);
        write(etc.resolve("password-authenticator.properties"), security.passwordAuthenticator());
        write(etc.resolve("access-control.properties"), security.accessControl());
        Map<String, String> catalogProps = new java.util.LinkedHashMap<>(catalog.trinoProperties());
        // Local stack only: the maintenance job's own --snapshot-retention/--orphan-retention decide
        // (a shared Trino keeps the connector's 7-day floor against accidental short retentions).
        catalogProps.put("iceberg.expire-snapshots.min-retention", "0s");
        catalogProps.put("iceberg.remove-orphan-files.min-retention", "0s");
        write(catalogDir.resolve(ADMIN_CATALOG + ".properties"), catalogProps);
        catalogProps.put("iceberg.security", "read_only");
        write(catalogDir.resolve(CATALOG + ".properties"), catalogProps);
        Files.writeString(etc.resolve("log.properties"), "io.trino=INFO\n");

        List<String> cmd = new ArrayList<>(List.of(install.java().toString(),
            "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExplicitGCInvokesConcurrent", "-XX:+ExitOnOutOfMemoryError",
            "-XX:-OmitStackTraceInFastThrow", "-XX:ReservedCodeCacheSize=256M", "-XX:+EnableDynamicAgentLoading",
            "-Djdk.attach.allowAttachSelf=true", "-Djdk.nio.maxCachedBufferSize=2000000", "-Dfile.encoding=UTF-8",
            "-Dnode.environment=clickstream", "-Dnode.id=" + UUID.randomUUID(), "-Dnode.data-dir=" + data,
            // Listen on the configured address only (loopback by default; Airlift binds 0.0.0.0 otherwise)
            // and announce the loopback address to the single node's own discovery.
            "-Dnode.bind-ip=" + ServiceOptions.bindHost(), "-Dnode.internal-address=127.0.0.1",
            "-Dconfig=" + etc.resolve("config.properties"), "-Dlog.levels-file=" + etc.resolve("log.properties"),
            "-cp", install.home().resolve("lib") + "/*", "io.trino.server.TrinoServer"));
        Path log = workDir.resolve("server.log");
        TiedProcess p = TiedProcess.start("trino", cmd, workDir, log, "TERM", ServiceOptions.stopGrace(), Map.of());
        LocalTrino trino = new LocalTrino(p, httpsPort, httpPort, workDir, security, Duration.ofNanos(System.nanoTime() - t0));
        if (!Ports.await(() -> trino.started() && trino.answersQueries(), p::isAlive, timeout)) {
            trino.close();
            throw new IOException("Trino did not start within " + timeout + "; log: " + log + "\n" + LocalPostgres.tail(log));
        }
        return new LocalTrino(p, httpsPort, httpPort, workDir, security, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * JDBC URL for BI tools: {@code jdbc:trino://127.0.0.1:<port>/lakehouse/<namespace>} over TLS,
     * trusting this server's certificate and checking the host name; user and password go in the
     * connection properties.
     */
    public String jdbcUrl(String schema) {
        return jdbcUrl(port, CATALOG, schema, security.certificate());
    }

    /** As {@link #jdbcUrl(String)}, on the admin's writable catalog {@link #ADMIN_CATALOG}. */
    public String adminJdbcUrl(String schema) {
        return jdbcUrl(port, ADMIN_CATALOG, schema, security.certificate());
    }

    /** The TLS JDBC URL of a local Trino on {@code port} whose certificate is {@code certificate}. */
    public static String jdbcUrl(int port, String catalog, String schema, Path certificate) {
        return "jdbc:trino://127.0.0.1:" + port + "/" + catalog + "/" + schema + "?SSL=true&SSLVerification=FULL&SSLTrustStorePath="
            + certificate;
    }

    /**
     * Opens a trino-jdbc connection as {@code user} (one of the generated users,
     * {@link TrinoSecurity#ADMIN} or {@link TrinoSecurity#BI}) with {@code schema} as the default
     * schema, in the catalog that user works in ({@link #ADMIN_CATALOG} for the admin, else {@link #CATALOG}).
     */
    public Connection connect(String schema, String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", security.password(user));
        return DriverManager.getConnection(TrinoSecurity.ADMIN.equals(user) ? adminJdbcUrl(schema) : jdbcUrl(schema), p);
    }

    /** As the read-only BI user. */
    public Connection connectBi(String schema) throws SQLException {
        return connect(schema, TrinoSecurity.BI);
    }

    /** As the admin user, which owns the serving tables (maintenance, tests' writes), in {@link #ADMIN_CATALOG}. */
    public Connection connectAdmin(String schema) throws SQLException {
        return connect(schema, TrinoSecurity.ADMIN);
    }

    /** The certificate, users' password files and access rules. */
    public TrinoSecurity security() {
        return security;
    }

    /** The HTTPS port clients use. */
    public int port() {
        return port;
    }

    /** The plain-HTTP port (internal communication only: it refuses client authentication). */
    public int httpPort() {
        return httpPort;
    }

    public Path workDir() {
        return workDir;
    }

    /** Wall time from {@link #start} to the server reporting itself started (install check included). */
    public Duration startTime() {
        return startTime;
    }

    public long pid() {
        return process.serverPid();
    }

    @Override
    public void close() {
        process.close();
    }

    private boolean started() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/info")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().replace(" ", "").contains("\"starting\":false");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * "Started" precedes the node's announcement of its catalogs; until then queries on the catalog fail
     * with "No nodes available" (measured: the node can already be listed active in system.runtime.nodes).
     * So readiness is a query that Trino schedules on a node holding the serving catalog.
     */
    private boolean answersQueries() {
        try (Connection c = connectAdmin("information_schema"); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM " + CATALOG + ".information_schema.schemata")) {
            return rs.next() && rs.getLong(1) > 0;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void write(Path file, Map<String, String> props) throws IOException {
        StringBuilder b = new StringBuilder("# generated by LocalTrino: do not edit\n");
        props.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> b.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        Files.writeString(file, b.toString());
    }
}
