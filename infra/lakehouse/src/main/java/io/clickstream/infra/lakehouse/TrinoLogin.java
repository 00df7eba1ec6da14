package io.clickstream.infra.lakehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How the command-line tools (table maintenance, the quality report) log in to the long-running
 * stack's Trino ({@code infra/bin/lakehouse.sh}): its TLS URL, trusting the certificate the stack
 * generated, and a user's password read from a file or {@value #PASSWORD_ENV}, never from the
 * command line.
 */
public final class TrinoLogin {
    /** Environment variable holding the Trino password when no password file is given. */
    public static final String PASSWORD_ENV = "CLICKSTREAM_TRINO_PASSWORD";
    /** Where {@code lakehouse.sh} keeps Trino's certificate and users' password files (relative to the repository). */
    public static final Path STACK_SECURITY_DIR = Path.of("target/lakehouse/trino/security");
    /** The long-running stack's BI URL (HTTPS port 8443, the read-only catalog, the stack's certificate). */
    public static final String DEFAULT_URL = LocalTrino.jdbcUrl(8443, LocalTrino.CATALOG, ServingCatalog.DEFAULT_NAMESPACE,
        STACK_SECURITY_DIR.resolve("trino.pem"));
    /** The long-running stack's admin URL (the writable catalog), what table maintenance uses. */
    public static final String DEFAULT_ADMIN_URL = LocalTrino.jdbcUrl(8443, LocalTrino.ADMIN_CATALOG,
        ServingCatalog.DEFAULT_NAMESPACE, STACK_SECURITY_DIR.resolve("trino.pem"));

    private TrinoLogin() {}

    /** The default password file of {@code user} in the long-running stack. */
    public static String defaultPasswordFile(String user) {
        return STACK_SECURITY_DIR.resolve(user + ".password").toString();
    }

    /**
     * Opens {@code url} as {@code user}; the password comes from {@value #PASSWORD_ENV} if set, else from
     * {@code passwordFile}.
     */
    public static Connection connect(String url, String user, String passwordFile) throws SQLException, IOException {
        String password = System.getenv(PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            Path file = Path.of(passwordFile);
            if (!Files.isReadable(file)) {
                throw new IOException("no Trino password: set $" + PASSWORD_ENV + " or give a readable password file ("
                    + file.toAbsolutePath() + " is not; infra/bin/lakehouse.sh writes one per user)");
            }
            password = Files.readString(file).strip();
        }
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }
}
