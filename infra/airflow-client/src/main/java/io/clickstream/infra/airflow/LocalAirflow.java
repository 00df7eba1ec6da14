package io.clickstream.infra.airflow;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.clickstream.infra.lakehouse.Ports;
import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.infra.lakehouse.TiedProcess;

/**
 * A real Airflow 3 (API server, scheduler with the LocalExecutor, DAG processor, triggerer; SQLite
 * metadata DB; started by {@code infra/bin/airflow.sh serve}) on a free loopback port, with the
 * repository's {@code dags/} folder, a generated admin password (in {@code <home>/passwords.json},
 * mode 0600) and any extra environment (Airflow Variables as {@code AIRFLOW_VAR_*}). Installs the pinned
 * virtual environment first if needed ({@code infra/bin/airflow.sh install}). All its processes form one
 * process group that {@link #close()} stops (SIGINT, SIGTERM, SIGKILL), as does the death of this JVM.
 * Settings: {@link ServiceOptions} (bind address, LocalExecutor parallelism, stop grace).
 */
public final class LocalAirflow implements AutoCloseable {
    public static final String USER = "admin";

    private final TiedProcess process;
    private final AirflowClient client;
    private final URI url;
    private final Duration startTime;

    private LocalAirflow(TiedProcess process, AirflowClient client, URI url, Duration startTime) {
        this.process = process;
        this.client = client;
        this.url = url;
        this.startTime = startTime;
    }

    /**
     * Starts Airflow with its home in {@code home}, for the repository at {@code repo}, and waits until
     * it is healthy and has parsed {@code expectedDags}.
     */
    public static LocalAirflow start(Path repo, Path home, Map<String, String> extraEnv, List<String> expectedDags,
            Duration timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path root = repo.toAbsolutePath().normalize();
        install(root);
        Files.createDirectories(home);
        String password = UUID.randomUUID().toString();
        Path passwords = AirflowPassword.write(home.resolve("passwords.json"), USER, password);
        int port = Ports.free();
        String host = ServiceOptions.bindHost();
        Path venv = root.resolve("target/airflow/venv");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", venv.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("AIRFLOW_HOME", home.toAbsolutePath().toString());
        env.put("AIRFLOW__CORE__DAGS_FOLDER", root.resolve("dags").toString());
        env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
        env.put("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", USER + ":admin");
        env.put("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", passwords.toString());
        env.put("AIRFLOW__API__HOST", host);
        env.put("AIRFLOW__API__PORT", String.valueOf(port));
        env.put("AIRFLOW__API__WORKERS", "1");
        env.put("AIRFLOW__CORE__PARALLELISM", String.valueOf(ServiceOptions.airflowParallelism()));
        env.put("AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "http://127.0.0.1:" + port + "/execution/");
        env.put("CLICKSTREAM_HOME", root.toString());
        env.putAll(extraEnv);
        Path log = home.resolve("airflow.log");
        TiedProcess p = TiedProcess.start("airflow", List.of("bash", root.resolve("infra/bin/airflow.sh").toString(), "serve"),
            home, log, "INT", ServiceOptions.stopGrace(), env);
        URI url = URI.create("http://127.0.0.1:" + port);
        AirflowClient client = new AirflowClient(url, USER, password);
        LocalAirflow airflow = new LocalAirflow(p, client, url, Duration.ZERO);
        boolean ready = Ports.await(() -> {
            try {
                return client.healthy() && client.dagIds().containsAll(expectedDags);
            } catch (IOException e) {
                return false;
            }
        }, p::isAlive, timeout);
        if (!ready) {
            airflow.close();
            String tail = Files.exists(log) ? Files.readString(log) : "";
            throw new IOException("Airflow did not become ready within " + timeout + "; log " + log + ":\n"
                + tail.substring(Math.max(0, tail.length() - 4000)));
        }
        return new LocalAirflow(p, client, url, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * The Airflow Variables the clickstream DAGs read (see {@code dags/clickstream_common.py}), as
     * {@code AIRFLOW_VAR_CLICKSTREAM_*} environment entries pointing at this catalog and broker.
     */
    public static Map<String, String> clickstreamVariables(ServingCatalog catalog, String bootstrapServers) {
        Map<String, String> env = new HashMap<>();
        env.put(variable("jdbc_url"), catalog.jdbcUrl());
        env.put(variable("jdbc_user"), catalog.user());
        if (!catalog.password().isEmpty()) {
            // The batch jobs the DAGs start read it from their environment (BatchOptions), never from a command line.
            env.put("CLICKSTREAM_JDBC_PASSWORD", catalog.password());
        }
        env.put(variable("warehouse"), catalog.warehouse());
        env.put(variable("namespace"), catalog.namespace());
        env.put(variable("bootstrap_servers"), bootstrapServers);
        return env;
    }

    /** The environment name of the Airflow Variable {@code clickstream_<name>}. */
    public static String variable(String name) {
        return "AIRFLOW_VAR_CLICKSTREAM_" + name.toUpperCase(java.util.Locale.ROOT);
    }

    /** Creates the pinned virtual environment if it is missing (no-op otherwise). */
    public static void install(Path repo) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", repo.resolve("infra/bin/airflow.sh").toString(), "install").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("infra/bin/airflow.sh install failed");
        }
    }

    public AirflowClient client() {
        return client;
    }

    public URI url() {
        return url;
    }

    /** The leader of Airflow's process group (every component and worker is in it). */
    public long pid() {
        return process.serverPid();
    }

    /** Live processes of Airflow's process group (Linux /proc), for tests and the demo's summary. */
    public java.util.List<Long> processes() {
        long pgid = pid();
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(p -> {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return !f[0].equals("Z") && Long.parseLong(f[2]) == pgid;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).toList();
    }

    /** From {@link #start} until healthy with every expected DAG parsed (installation check included). */
    public Duration startTime() {
        return startTime;
    }

    @Override
    public void close() {
        process.close();
    }
}
