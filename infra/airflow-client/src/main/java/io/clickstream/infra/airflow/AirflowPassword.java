package io.clickstream.infra.airflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Airflow passwords: never a default. The simple auth manager's passwords file ({@code {"user": "password"}},
 * written owner-only by {@code infra/bin/airflow.sh} and {@link LocalAirflow}) or the {@code AIRFLOW_PASSWORD}
 * environment variable; never a command-line argument.
 */
public final class AirflowPassword {
    /** Environment variable that holds the password (wins over the file). */
    public static final String ENV = "AIRFLOW_PASSWORD";
    /** The passwords file of {@code infra/bin/airflow.sh standalone}, relative to the repository. */
    public static final Path DEFAULT_FILE = Path.of("target/airflow/home/passwords.json");

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE);

    private AirflowPassword() {}

    /** {@code $AIRFLOW_PASSWORD}, else {@code user}'s entry in {@code file}; fails with a clear message if neither exists. */
    public static String resolve(String user, Path file) throws IOException {
        String env = System.getenv(ENV);
        if (env != null && !env.isEmpty()) {
            return env;
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw new IOException("No Airflow password: set $" + ENV + " or give the passwords file (" + file
                + " does not exist; infra/bin/airflow.sh standalone writes it)");
        }
        JsonNode pw = new ObjectMapper().readTree(file.toFile()).get(user);
        if (pw == null || pw.asText().isEmpty()) {
            throw new IOException("No password for Airflow user " + user + " in " + file);
        }
        return pw.asText();
    }

    /** Writes {@code {"user": "password"}} to {@code file}, readable and writable by the owner only (0600). */
    public static Path write(Path file, String user, String password) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(file, new ObjectMapper().createObjectNode().put(user, password).toString());
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        return file;
    }
}
