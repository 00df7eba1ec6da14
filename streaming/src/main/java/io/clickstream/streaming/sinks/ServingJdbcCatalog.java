package io.clickstream.streaming.sinks;

import java.sql.Driver;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Iceberg's {@link JdbcCatalog} as the job opens it (its {@code catalog-impl}): first registers the JDBC
 * drivers of the job's own class loader with {@link java.sql.DriverManager}, then initializes as usual.
 *
 * <p>Why: {@code DriverManager} registers a bundled driver only when its class is initialized, and hands a
 * caller only drivers whose class its own class loader resolves to. On a TaskManager that already ran a
 * job, the PostgreSQL driver registered by that job's (now closed) user class loader is not the class the
 * next job's class loader resolves, so Iceberg's {@code JdbcClientPool} got "No suitable driver found" and
 * the resubmitted job failed once before it ran (seen after a rescale through a savepoint). The JobManager
 * and the TaskManagers open the catalog through this class with the job's class loader, so each job
 * registers its own driver before the first connection.
 */
public class ServingJdbcCatalog extends JdbcCatalog {

    @Override
    public void initialize(String name, Map<String, String> properties) {
        registerDrivers(ServingJdbcCatalog.class.getClassLoader());
        super.initialize(name, properties);
    }

    /**
     * Initializes every {@code java.sql.Driver} that {@code loader} provides (a JDBC 4 driver registers itself
     * with {@code DriverManager} in its static initializer). Returns how many were found.
     */
    static int registerDrivers(ClassLoader loader) {
        int found = 0;
        var it = ServiceLoader.load(Driver.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return found;
                }
                Driver d = it.next();
                // Instantiating ran the static initializer; the explicit initialization covers drivers that register lazily.
                Class.forName(d.getClass().getName(), true, loader);
                found++;
            } catch (ServiceConfigurationError | ClassNotFoundException e) {
                // A broken provider elsewhere on the class path must not keep the catalog from opening.
            }
        }
    }
}
