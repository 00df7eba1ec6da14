package io.clickstream.streaming.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;

import io.clickstream.infra.lakehouse.ServingCatalog;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * A second job's class loader gets its own JDBC driver registered before Iceberg connects: without it,
 * DriverManager offers only the first job's driver, which the second job's classes cannot use ("No suitable
 * driver found", the resubmitted job's first failure on a TaskManager that ran a job before).
 */
class ServingJdbcCatalogTest {
    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/iceberg_catalog?connectTimeout=1";

    @Test
    void eachJobClassLoaderRegistersItsOwnDriver() throws Exception {
        URL pgJar = org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation();
        URL testClasses = Path.of(ServingJdbcCatalogTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toUri().toURL();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        // The first job: its driver is registered (its static initializer ran).
        try (URLClassLoader firstJob = new URLClassLoader(new URL[] {pgJar}, platform)) {
            Class.forName("org.postgresql.Driver", true, firstJob);
            // The second job, as Flink's child-first user class loader loads it: its own copy of the driver.
            try (URLClassLoader secondJob = new URLClassLoader(new URL[] {pgJar, testClasses}, platform)) {
                assertThat(connectFrom(secondJob)).startsWith("No suitable driver found");

                assertThat(ServingJdbcCatalog.registerDrivers(secondJob)).isGreaterThanOrEqualTo(1);
                // Now the driver answers (and fails to reach the port): the catalog would have connected.
                assertThat(connectFrom(secondJob)).doesNotContain("No suitable driver").containsIgnoringCase("connect");
            }
        }
    }

    @Test
    void theJobOpensTheServingCatalogThroughIt() {
        Configuration conf = new Configuration();
        LakeSinks.useServingCatalog(conf, new ServingCatalog("jdbc:postgresql://h/db", "u", "", "lakehouse", "file:/w", "ns"));
        Map<String, String> p = LakeSinks.servingCatalogProperties(conf);
        assertThat(p).containsEntry("catalog-impl", ServingJdbcCatalog.class.getName()).containsEntry("type", "iceberg");
    }

    /** Calls DriverManager from a class of {@code loader}, as Iceberg's JdbcClientPool does from the job's; the error message. */
    private static String connectFrom(ClassLoader loader) throws Exception {
        return (String) Class.forName(Probe.class.getName(), true, loader).getMethod("connect", String.class)
            .invoke(null, UNREACHABLE);
    }

    /** Loaded by each job class loader in turn; only java.sql, so it loads without the rest of the class path. */
    public static final class Probe {
        private Probe() {}

        public static String connect(String url) {
            try (var c = DriverManager.getConnection(url, "u", "")) {
                return "connected";
            } catch (java.sql.SQLException e) {
                return String.valueOf(e.getMessage());
            }
        }
    }
}
