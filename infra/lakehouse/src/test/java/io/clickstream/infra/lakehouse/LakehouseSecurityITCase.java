package io.clickstream.infra.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving stack's authentication and access control, against the real PostgreSQL and Trino the
 * demo and {@code lakehouse.sh} start (one stack for the class): Trino refuses anonymous, wrong-password
 * and non-TLS clients; the BI user reads the serving tables and can change nothing (no CREATE TABLE,
 * not even at a location of its choosing, no INSERT, no DROP); PostgreSQL refuses connections without
 * the password, and the catalog role is no superuser and cannot run programs ({@code COPY ... TO PROGRAM}).
 */
class LakehouseSecurityITCase {
    @TempDir
    static Path dir;
    static LocalPostgres pg;
    static ServingCatalog catalog;
    static LocalTrino trino;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60));
        catalog = pg.catalog(dir.resolve("warehouse").toUri().toString());
        IcebergCatalogSchema.ensure(catalog);
        trino = LocalTrino.start(dir.resolve("trino"), catalog, Duration.ofSeconds(180));
        try (Connection c = trino.connectAdmin(catalog.namespace()); Statement s = c.createStatement()) {
            BiQuery.retryingNoNodes(() -> s.execute("CREATE TABLE served AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, v)"));
        }
    }

    @AfterAll
    static void stop() {
        if (trino != null) {
            trino.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void biUserReadsTheServingTables() throws Exception {
        try (Connection c = trino.connectBi(catalog.namespace()); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM served")).isEqualTo(2);
            java.util.List<String> tables = new java.util.ArrayList<>();
            try (ResultSet r = s.executeQuery("SHOW TABLES")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            assertThat(tables).containsExactly("served");
            assertThat(count(s, "SELECT count(*) FROM \"served$snapshots\"")).as("metadata tables").isPositive();
            // Every named BI query compiles and runs for the BI user (here on an empty serving schema: no table).
            assertThat(c.getMetaData().getUserName()).isEqualTo(TrinoSecurity.BI);
        }
    }

    @Test
    void biUserChangesNothing() throws Exception {
        String table = LocalTrino.CATALOG + "." + catalog.namespace();
        try (Connection c = trino.connectBi(catalog.namespace()); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("CREATE TABLE mine (id int)")).isInstanceOf(SQLException.class)
                .hasMessageMatching(denied("Cannot create table " + table + ".mine"));
            assertThatThrownBy(() -> s.execute("CREATE TABLE elsewhere WITH (location = 'file://" + dir.resolve("elsewhere")
                    + "') AS SELECT 1 AS x")).isInstanceOf(SQLException.class)
                .hasMessageMatching(denied("Cannot create table " + table + ".elsewhere"));
            assertThat(dir.resolve("elsewhere")).doesNotExist();
            assertThatThrownBy(() -> s.execute("INSERT INTO served VALUES (3, 'c')")).isInstanceOf(SQLException.class)
                .hasMessageMatching(denied("Cannot insert into table " + table + ".served"));
            assertThatThrownBy(() -> s.execute("DELETE FROM served")).isInstanceOf(SQLException.class)
                .hasMessageMatching(denied("Cannot delete from table " + table + ".served"));
            assertThatThrownBy(() -> s.execute("DROP TABLE served")).isInstanceOf(SQLException.class)
                .hasMessageMatching(denied("Cannot drop table " + table + ".served"));
            // Table procedures and procedures (Trino's file-based rules let any reader run table procedures; the
            // BI catalog is read-only in the connector itself).
            assertThatThrownBy(() -> s.execute("ALTER TABLE served EXECUTE expire_snapshots(retention_threshold => '0s')"))
                .isInstanceOf(SQLException.class).hasMessageMatching(denied("Cannot execute table procedure EXPIRE_SNAPSHOTS on " + catalog.namespace() + ".served"));
            assertThatThrownBy(() -> s.execute("ALTER TABLE served EXECUTE remove_orphan_files(retention_threshold => '0s')"))
                .isInstanceOf(SQLException.class).hasMessageMatching(denied("Cannot execute table procedure REMOVE_ORPHAN_FILES on " + catalog.namespace() + ".served"));
            assertThatThrownBy(() -> s.execute("CALL " + LocalTrino.CATALOG + ".system.unregister_table('" + catalog.namespace()
                + "', 'served')")).isInstanceOf(SQLException.class)
                .hasMessageMatching(denied("Cannot execute procedure " + LocalTrino.CATALOG + ".system.unregister_table"));
            // The admin's writable catalog is not the BI user's.
            assertThatThrownBy(() -> s.execute("SELECT count(*) FROM " + LocalTrino.ADMIN_CATALOG + "." + catalog.namespace() + ".served"))
                .isInstanceOf(SQLException.class).hasMessageMatching(denied("Cannot access catalog " + LocalTrino.ADMIN_CATALOG));
            assertThatThrownBy(() -> s.execute("CREATE SCHEMA " + LocalTrino.CATALOG + ".other")).isInstanceOf(SQLException.class)
                .hasMessageContaining("Access Denied: Cannot create schema");
            assertThat(count(s, "SELECT count(*) FROM served")).as("the table is intact").isEqualTo(2);
        }
    }

    @Test
    void adminMaintainsTheTables() throws Exception {
        try (Connection c = trino.connectAdmin(catalog.namespace()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO served VALUES (3, 'c')");
            s.execute("DELETE FROM served WHERE id = 3");
            s.execute("ALTER TABLE served EXECUTE optimize");
            s.execute("ALTER TABLE served EXECUTE expire_snapshots(retention_threshold => '0s')");
            s.execute("ALTER TABLE served EXECUTE remove_orphan_files(retention_threshold => '0s')");
            assertThat(count(s, "SELECT count(*) FROM served")).isEqualTo(2);
            assertThat(count(s, "SELECT count(*) FROM \"served$snapshots\"")).isEqualTo(1);
        }
    }

    @Test
    void anonymousWrongPasswordAndUnknownUsersAreRefused() {
        Properties none = new Properties();
        none.setProperty("user", TrinoSecurity.BI);
        assertThatThrownBy(() -> query(trino.jdbcUrl(catalog.namespace()), none)).isInstanceOf(SQLException.class)
            .hasMessageContaining("Authentication failed: Unauthorized");
        Properties wrong = new Properties();
        wrong.setProperty("user", TrinoSecurity.BI);
        wrong.setProperty("password", "not-the-password");
        assertThatThrownBy(() -> query(trino.jdbcUrl(catalog.namespace()), wrong)).isInstanceOf(SQLException.class)
            .hasMessageContaining("Authentication failed: Access Denied: Invalid credentials");
        Properties unknown = new Properties();
        unknown.setProperty("user", "anyone");
        unknown.setProperty("password", "x");
        assertThatThrownBy(() -> query(trino.jdbcUrl(catalog.namespace()), unknown)).isInstanceOf(SQLException.class)
            .hasMessageContaining("Authentication failed: Access Denied: Invalid credentials");
    }

    @Test
    void plainHttpIsRefused() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // Plain HTTP to the HTTPS port: no HTTP exchange at all (Jetty answers with a TLS alert or closes).
        HttpRequest toTlsPort = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + trino.port() + "/v1/statement"))
            .timeout(Duration.ofSeconds(5)).header("X-Trino-User", TrinoSecurity.ADMIN)
            .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build();
        assertThatThrownBy(() -> http.send(toTlsPort, HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        // The internal HTTP port: a client's statement without credentials is refused ...
        HttpRequest anonymous = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + trino.httpPort() + "/v1/statement"))
            .timeout(Duration.ofSeconds(5)).header("X-Trino-User", TrinoSecurity.ADMIN)
            .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build();
        HttpResponse<String> r = http.send(anonymous, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("anonymous statement on the HTTP port: %s", r.body()).isEqualTo(403);
        // ... and so is a password over plain HTTP, even the right one (Trino takes passwords over TLS only).
        String basic = java.util.Base64.getEncoder().encodeToString((TrinoSecurity.ADMIN + ":"
            + trino.security().password(TrinoSecurity.ADMIN)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest passwordOverHttp = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + trino.httpPort() + "/v1/statement"))
            .timeout(Duration.ofSeconds(5)).header("X-Trino-User", TrinoSecurity.ADMIN).header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build();
        HttpResponse<String> r2 = http.send(passwordOverHttp, HttpResponse.BodyHandlers.ofString());
        assertThat(r2.statusCode()).as("password on the HTTP port: %s", r2.body()).isEqualTo(403);
        // trino-jdbc without TLS refuses to send a password at all.
        Properties admin = new Properties();
        admin.setProperty("user", TrinoSecurity.ADMIN);
        admin.setProperty("password", trino.security().password(TrinoSecurity.ADMIN));
        assertThatThrownBy(() -> query("jdbc:trino://127.0.0.1:" + trino.httpPort() + "/lakehouse", admin))
            .isInstanceOf(SQLException.class).hasMessageContaining("TLS/SSL is required for authentication with username and password");
        // TLS without trusting the stack's certificate fails the handshake.
        assertThatThrownBy(() -> query("jdbc:trino://127.0.0.1:" + trino.port() + "/lakehouse?SSL=true", admin))
            .isInstanceOf(SQLException.class).hasMessageContaining("PKIX path building failed");
    }

    @Test
    void secretsAreOwnerOnly() throws Exception {
        TrinoSecurity sec = trino.security();
        assertThat(perms(sec.dir())).isEqualTo("rwx------");
        for (String f : new String[] {"admin.password", "bi.password", "password.db", "trino.p12", "server.properties"}) {
            assertThat(perms(sec.dir().resolve(f))).as(f).isEqualTo("rw-------");
        }
        assertThat(perms(trino.workDir().resolve("etc"))).as("etc holds the catalog and keystore passwords").isEqualTo("rwx------");
        assertThat(perms(pg.passwordFile())).isEqualTo("rw-------");
        assertThat(Files.readString(sec.passwordFile(TrinoSecurity.BI)).strip()).hasSize(48);
        // Trino's command line holds no secret.
        String cmd = ProcessHandle.of(trino.pid()).flatMap(h -> h.info().commandLine()).orElse("");
        assertThat(cmd).contains("io.trino.server.TrinoServer").doesNotContain(sec.password(TrinoSecurity.ADMIN))
            .doesNotContain(sec.password(TrinoSecurity.BI)).doesNotContain(pg.password());
    }

    @Test
    void postgresNeedsThePasswordAndTheCatalogRoleIsNoSuperuser() throws Exception {
        // A client without a password (what trust authentication let in) is asked for one and refused.
        for (String user : new String[] {LocalPostgres.USER, LocalPostgres.SUPERUSER}) {
            Properties noPassword = new Properties();
            noPassword.setProperty("user", user);
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), noPassword)).isInstanceOf(SQLException.class)
                .hasMessage("The server requested SCRAM-based authentication, but no password was provided.");
        }
        String superuserPassword = Files.readString(pg.passwordFile().resolveSibling("superuser.password")).strip();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.SUPERUSER, superuserPassword);
             Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method NOT IN ('scram-sha-256', 'reject')"))
                .as("pg_hba.conf entries that do not ask for the password").isZero();
            assertThat(count(s, "SELECT count(*) FROM pg_hba_file_rules")).isPositive();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, "wrong"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("password authentication failed for user \"" + LocalPostgres.USER + "\"");
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, pg.password());
             Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getBoolean(1)).as("superuser").isFalse();
                assertThat(r.getBoolean(2)).as("createdb").isFalse();
                assertThat(r.getBoolean(3)).as("createrole").isFalse();
            }
            assertThatThrownBy(() -> s.execute("COPY (SELECT 1) TO PROGRAM 'touch " + dir.resolve("pwned") + "'"))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("ERROR: must be superuser or have privileges of the pg_execute_server_program role to COPY to "
                    + "or from an external program");
            assertThat(dir.resolve("pwned")).doesNotExist();
            assertThatThrownBy(() -> s.execute("CREATE ROLE intruder SUPERUSER")).isInstanceOf(SQLException.class)
                .hasMessage("ERROR: must be superuser to create superusers");
            assertThatThrownBy(() -> s.execute("CREATE ROLE intruder")).isInstanceOf(SQLException.class)
                .hasMessageStartingWith("ERROR: permission denied to create role");
            assertThatThrownBy(() -> s.execute("CREATE DATABASE other")).isInstanceOf(SQLException.class)
                .hasMessageStartingWith("ERROR: permission denied to create database");
            // What it needs: the Iceberg catalog's tables are its own.
            assertThat(count(s, "SELECT count(*) FROM iceberg_tables")).isEqualTo(1);
        }
    }

    /** The exact message trino-jdbc gives for a statement the access control refused (any query id). */
    private static String denied(String what) {
        return "Query failed \\(#\\w+\\): " + java.util.regex.Pattern.quote("Access Denied: " + what);
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void query(String url, Properties p) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
            r.next();
        }
    }
}
