package io.clickstream.infra.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.clickstream.infra.lakehouse.Ports;
import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.infra.lakehouse.TiedProcess;

/**
 * A Spark 3.5 standalone cluster on this machine: Spark's own {@code Master} and one {@code Worker}, each its
 * own JVM and process group, on the SPARK_HOME that {@code infra/bin/spark-home.sh} assembles from
 * {@code infra/spark-runtime}. The Worker starts executors from that SPARK_HOME as any Spark installation does;
 * applications arrive through spark-submit ({@code infra/bin/spark-submit.sh --master }{@link #masterUrl()}).
 * {@code SPARK_LOCAL_IP} keeps the master, worker, their web UIs and the executors on 127.0.0.1.
 */
public final class LocalSparkCluster implements AutoCloseable {
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Path dir;
    private final int port;
    private final int uiPort;
    private final TiedProcess master;
    private final Map<String, String> env;
    private final List<String> workerArgs;
    private TiedProcess worker;

    private LocalSparkCluster(Path dir, int port, int uiPort, TiedProcess master, Map<String, String> env, List<String> workerArgs) {
        this.dir = dir;
        this.port = port;
        this.uiPort = uiPort;
        this.master = master;
        this.env = env;
        this.workerArgs = workerArgs;
    }

    /** Starts the master and the worker and waits until the worker registered. */
    public static LocalSparkCluster start(Path dir, ClusterOptions o) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("log"));
        Path sparkHome = sparkHome();
        int port = o.getInt(ClusterOptions.SPARK_MASTER_PORT);
        int uiPort = o.getInt(ClusterOptions.SPARK_MASTER_UI_PORT);
        Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.12",
            "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_LOG_DIR", dir.resolve("log").toString());
        TiedProcess master = launch(dir, sparkHome, env, "spark-master", "org.apache.spark.deploy.master.Master",
            List.of("--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(uiPort)));
        List<String> workerArgs = List.of("spark://127.0.0.1:" + port, "--host", "127.0.0.1",
            "--webui-port", String.valueOf(uiPort + 1), "--cores", o.get(ClusterOptions.SPARK_WORKER_CORES),
            "--memory", o.get(ClusterOptions.SPARK_WORKER_MEMORY), "--work-dir", dir.resolve("work").toString());
        LocalSparkCluster cluster = new LocalSparkCluster(dir, port, uiPort, master, env, workerArgs);
        try {
            cluster.startWorker();
            cluster.awaitWorkers(1, o.startTimeout());
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts the worker (again, after {@link #killWorker()}). */
    public void startWorker() throws IOException {
        worker = launch(dir, sparkHome(), env, "spark-worker", "org.apache.spark.deploy.worker.Worker", workerArgs);
    }

    /** SIGKILL of the worker's JVM and its executors, as a crashed node. */
    public void killWorker() throws InterruptedException {
        ProcessHandle.of(worker.serverPid()).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        });
        worker.waitFor(Duration.ofSeconds(30));
    }

    /** Waits until the master reports {@code n} alive workers. */
    public void awaitWorkers(int n, Duration timeout) throws IOException {
        if (!Ports.await(() -> aliveWorkers() == n, master::isAlive, timeout)) {
            throw new IOException("Spark cluster: " + aliveWorkers() + " of " + n + " workers alive after " + timeout
                + " (logs in " + dir.resolve("log") + ")");
        }
    }

    /** Workers the master reports alive (-1 while its web UI does not answer). */
    public int aliveWorkers() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + uiPort + "/json/")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = ALIVE_WORKERS.matcher(r.body());
            return r.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    public String masterUiUrl() {
        return "http://127.0.0.1:" + uiPort;
    }

    public long masterPid() {
        return master.serverPid();
    }

    public long workerPid() {
        return worker.serverPid();
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        master.close();
    }

    /** Assembles SPARK_HOME with Spark's layout (infra/bin/spark-home.sh, the one definition of it) and returns it. */
    static Path sparkHome() throws IOException {
        try {
            Process p = new ProcessBuilder("bash", "infra/bin/spark-home.sh").directory(Repository.root().toFile()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("infra/bin/spark-home.sh failed (exit " + p.exitValue() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return Repository.resolve("target/spark-home");
    }

    private static TiedProcess launch(Path dir, Path sparkHome, Map<String, String> env, String name, String main,
            List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(LocalFlinkCluster.java(), "-Xmx512m",
            "@" + Repository.resolve("infra/conf/spark-java17.options"),
            "-Dlog4j2.configurationFile=" + sparkHome.resolve("conf/log4j2.properties"),
            "-cp", sparkHome.resolve("conf") + ":" + sparkHome.resolve("jars") + "/*", main));
        cmd.addAll(args);
        return TiedProcess.start(name, cmd, dir, dir.resolve("log").resolve(name + ".log"), "TERM", ServiceOptions.stopGrace(), env);
    }
}
