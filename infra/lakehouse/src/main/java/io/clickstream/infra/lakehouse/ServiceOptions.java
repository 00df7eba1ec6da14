package io.clickstream.infra.lakehouse;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the local services the project starts itself (demo, tests, {@code lakehouse.sh}): Trino,
 * PostgreSQL, Airflow, the Flink MiniCluster and the local Spark driver. Read from JVM system properties
 * ({@code -Dclickstream.bind-host=0.0.0.0}); {@link #describe()} lists them.
 */
public final class ServiceOptions {
    /** One setting: its system property, default and description. */
    public record Option(String key, String defaultValue, String description) {
        public String get() {
            String v = System.getProperty(key);
            return v == null || v.isBlank() ? defaultValue : v.trim();
        }
    }

    public static final Option BIND_HOST = new Option("clickstream.bind-host", "127.0.0.1",
        "Address every local service listens on (Trino, PostgreSQL, Airflow's API server, the Flink MiniCluster's "
            + "REST/RPC/blob/data ports, the local Spark driver). The default keeps them on loopback; 0.0.0.0 "
            + "exposes them to the network (Trino and PostgreSQL ask for passwords, Trino over TLS with a self-signed "
            + "certificate; the Flink MiniCluster's REST port and Spark's driver have no authentication).");

    public static final Option STOP_GRACE = new Option("clickstream.stop-grace", "5",
        "Seconds a stopped service's process group gets after each signal (the service's stop signal, then "
            + "SIGTERM) before the next, stronger one; SIGKILL comes last.");

    public static final Option AIRFLOW_PARALLELISM = new Option("clickstream.airflow.parallelism", "2",
        "Task slots of the local Airflow's LocalExecutor (it starts one worker process per slot); 2 for a 2-core machine.");

    public static final List<Option> ALL = List.of(BIND_HOST, STOP_GRACE, AIRFLOW_PARALLELISM);

    private ServiceOptions() {}

    public static String bindHost() {
        return BIND_HOST.get();
    }

    public static Duration stopGrace() {
        return Duration.ofSeconds(Long.parseLong(STOP_GRACE.get()));
    }

    public static int airflowParallelism() {
        return Integer.parseInt(AIRFLOW_PARALLELISM.get());
    }

    /** One line per option: {@code -Dkey (default): description}. */
    public static String describe() {
        StringBuilder b = new StringBuilder();
        for (Option o : ALL) {
            b.append("  -D").append(o.key()).append(" (default ").append(o.defaultValue()).append("): ")
                .append(o.description()).append('\n');
        }
        return b.toString();
    }
}
