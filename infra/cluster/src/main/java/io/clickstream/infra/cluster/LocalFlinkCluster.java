package io.clickstream.infra.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.clickstream.infra.lakehouse.Ports;
import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.infra.lakehouse.TiedProcess;

/**
 * A Flink 2.0 standalone session cluster on this machine: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and {@code n} TaskManagers ({@code TaskManagerRunner}), each its own
 * JVM and process group, started the way Flink's {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} do:
 * the JVM's memory flags and the dynamic memory settings come from Flink's {@code BashJavaUtils} for the
 * configured process sizes. The classpath is what a cluster's lib/ would hold ({@code infra/flink-runtime},
 * since {@code flink-dist} is not served on the mirror); jobs arrive as jars through Flink's own client.
 * Every listener is on 127.0.0.1.
 */
public final class LocalFlinkCluster implements AutoCloseable {
    static final Path FLINK_LIB_CLASSPATH = Repository.resolve("infra/flink-runtime/target/flink-lib.classpath");
    /** The module openings Flink 2.0 needs on Java 17 (what flink-dist's config.yaml sets as env.java.opts.all). */
    static final Path JAVA17_OPTIONS = Repository.resolve("infra/conf/flink-java17.options");
    private static final Pattern TASKMANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");

    private final Path dir;
    private final Path conf;
    private final String classpath;
    private final int restPort;
    private final TiedProcess jobManager;
    private final List<TiedProcess> taskManagers = new ArrayList<>();
    private final List<String> tmJvm;
    private final List<String> tmDynamic;

    private LocalFlinkCluster(Path dir, Path conf, String classpath, int restPort, TiedProcess jobManager,
            List<String> tmJvm, List<String> tmDynamic) {
        this.dir = dir;
        this.conf = conf;
        this.classpath = classpath;
        this.restPort = restPort;
        this.jobManager = jobManager;
        this.tmJvm = tmJvm;
        this.tmDynamic = tmDynamic;
    }

    /** Writes the configuration under {@code dir}, starts the JobManager and the TaskManagers and waits until all registered. */
    public static LocalFlinkCluster start(Path dir, ClusterOptions o) throws IOException, InterruptedException {
        int restPort = o.getInt(ClusterOptions.FLINK_REST_PORT);
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("log"));
        String host = ServiceOptions.bindHost();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", String.valueOf(restPort + 1));
        c.put("jobmanager.bind-host", host);
        c.put("jobmanager.memory.process.size", o.get(ClusterOptions.FLINK_JM_MEMORY));
        c.put("taskmanager.bind-host", host);
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.numberOfTaskSlots", o.get(ClusterOptions.FLINK_SLOTS));
        c.put("taskmanager.memory.process.size", o.get(ClusterOptions.FLINK_TM_MEMORY));
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", host);
        c.put("rest.port", String.valueOf(restPort));
        c.put("blob.server.port", String.valueOf(restPort + 2));
        c.put("parallelism.default", "2");
        // Spread a job's slots over the TaskManagers (instead of filling the first): both share the work.
        c.put("taskmanager.load-balance.mode", "slots");
        // Checkpoints and savepoints on the filesystem every process shares (jobs may set their own directory).
        c.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        c.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
        // A lost TaskManager is noticed within seconds (heartbeats), and the job restarts on what is left.
        c.put("heartbeat.interval", "2000");
        c.put("heartbeat.timeout", "10000");
        c.put("restart-strategy.type", "exponential-delay");
        c.put("web.submit.enable", "true");
        // Hadoop's shutdown hook (Paimon/Iceberg catalogs in the client's main) touches the user class loader after the CLI
        // closed it: Flink's documented switch for libraries that keep one.
        c.put("classloader.check-leaked-classloader", "false");
        // For clients that start JVMs from this configuration (and for readers of it): the processes here get the file.
        c.put("env.java.opts.all", String.join(" ", Files.readAllLines(JAVA17_OPTIONS)).trim());
        StringBuilder yaml = new StringBuilder("# generated by LocalFlinkCluster\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml.toString());
        Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
            "rootLogger.level = INFO", "rootLogger.appenderRef.file.ref = file",
            "appender.file.type = File", "appender.file.name = file", "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
            "logger.kafka.name = org.apache.kafka", "logger.kafka.level = WARN",
            "logger.paimon.name = org.apache.paimon", "logger.paimon.level = WARN",
            "logger.iceberg.name = org.apache.iceberg", "logger.iceberg.level = WARN", ""));
        Files.writeString(conf.resolve("log4j-cli.properties"), String.join("\n",
            "rootLogger.level = WARN", "rootLogger.appenderRef.console.ref = console",
            "appender.console.type = Console", "appender.console.name = console",
            "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = %d %-5p %c{1} - %m%n",
            // Without YARN, a plugins directory or a Hadoop installation the CLI warns at every start, as bin/flink does.
            "logger.cli.name = org.apache.flink.client.cli.CliFrontend", "logger.cli.level = ERROR",
            "logger.plugins.name = org.apache.flink.core.plugin.PluginConfig", "logger.plugins.level = ERROR",
            "logger.hadoop.name = org.apache.flink.runtime.util.HadoopUtils", "logger.hadoop.level = ERROR",
            "logger.native.name = org.apache.hadoop.util.NativeCodeLoader", "logger.native.level = ERROR", ""));

        if (!Files.isRegularFile(FLINK_LIB_CLASSPATH)) {
            throw new IOException(FLINK_LIB_CLASSPATH + " is not built: run 'make build' first");
        }
        String cp = Files.readString(FLINK_LIB_CLASSPATH).trim();
        List<List<String>> jm = resourceParams(cp, conf, "GET_JM_RESOURCE_PARAMS");
        List<List<String>> tm = resourceParams(cp, conf, "GET_TM_RESOURCE_PARAMS");
        TiedProcess jobManager = launch(dir, conf, cp, "jobmanager", jm.get(0),
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", jm.get(1));
        LocalFlinkCluster cluster = new LocalFlinkCluster(dir, conf, cp, restPort, jobManager, tm.get(0), tm.get(1));
        try {
            int n = o.getInt(ClusterOptions.FLINK_TASKMANAGERS);
            for (int i = 1; i <= n; i++) {
                cluster.startTaskManager(i);
            }
            cluster.awaitTaskManagers(n, o.startTimeout());
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts TaskManager {@code i} (1-based); after {@link #killTaskManager(int)} it comes back under the same name. */
    public void startTaskManager(int i) throws IOException {
        List<String> dynamic = new ArrayList<>(tmDynamic);
        dynamic.addAll(List.of("-D", "taskmanager.resource-id=taskmanager-" + i));
        TiedProcess p = launch(dir, conf, classpath, "taskmanager-" + i, tmJvm,
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", dynamic);
        while (taskManagers.size() < i) {
            taskManagers.add(null);
        }
        taskManagers.set(i - 1, p);
    }

    /** SIGKILL of TaskManager {@code i}'s JVM, as a crashed node: no deregistration, the JobManager notices by heartbeat. */
    public void killTaskManager(int i) throws InterruptedException {
        TiedProcess p = taskManagers.get(i - 1);
        ProcessHandle.of(p.serverPid()).ifPresent(ProcessHandle::destroyForcibly);
        p.waitFor(Duration.ofSeconds(30));
    }

    /** Waits until the JobManager's REST API lists {@code n} registered TaskManagers. */
    public void awaitTaskManagers(int n, Duration timeout) throws IOException {
        if (!Ports.await(() -> registeredTaskManagers() == n, jobManager::isAlive, timeout)) {
            throw new IOException("Flink cluster: " + registeredTaskManagers() + " of " + n + " TaskManagers registered after "
                + timeout + " (logs in " + dir.resolve("log") + ")");
        }
    }

    /** TaskManagers registered at the JobManager (-1 while its REST API does not answer). */
    public int registeredTaskManagers() {
        try {
            Matcher m = TASKMANAGERS.matcher(get("/overview"));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** GET of a REST path of the JobManager, e.g. {@code /jobs/overview}. */
    public String get(String path) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /**
     * The command of Flink's own CLI ({@code bin/flink}: {@code CliFrontend}) against this cluster, e.g.
     * {@code cli("run", "-d", "job.jar", ...)}; run it with {@link #cliEnvironment()}.
     */
    public List<String> cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m", "@" + JAVA17_OPTIONS.toAbsolutePath(),
            "-Dlog4j.configurationFile=" + conf.resolve("log4j-cli.properties"),
            "-cp", classpath, "org.apache.flink.client.cli.CliFrontend"));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** FLINK_CONF_DIR for the CLI: it finds the JobManager's REST address there, as {@code bin/flink} does. */
    public Map<String, String> cliEnvironment() {
        return Map.of("FLINK_CONF_DIR", conf.toString());
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public Path confDir() {
        return conf;
    }

    public long jobManagerPid() {
        return jobManager.serverPid();
    }

    public List<Long> taskManagerPids() {
        return taskManagers.stream().map(TiedProcess::serverPid).toList();
    }

    @Override
    public void close() {
        for (TiedProcess tm : taskManagers) {
            if (tm != null) {
                tm.close();
            }
        }
        jobManager.close();
    }

    private static TiedProcess launch(Path dir, Path conf, String cp, String name, List<String> jvm, String main,
            List<String> dynamic) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "@" + JAVA17_OPTIONS.toAbsolutePath()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-XX:+UseG1GC", "-Dlog.file=" + dir.resolve("log").resolve(name + ".log"),
            "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties"), "-cp", cp, main, "--configDir", conf.toString()));
        cmd.addAll(dynamic);
        return TiedProcess.start("flink-" + name, cmd, dir, dir.resolve("log").resolve(name + ".out"), "TERM",
            ServiceOptions.stopGrace(), Map.of());
    }

    /** BashJavaUtils' two result lines: the JVM's memory flags and the dynamic memory settings, as tokens. */
    private static List<List<String>> resourceParams(String cp, Path conf, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(), "-Xmx256m", "-cp", cp, "org.apache.flink.runtime.util.bash.BashJavaUtils", command,
            "--configDir", conf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<List<String>> results = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                String v = line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim();
                results.add(v.isEmpty() ? List.of() : Arrays.asList(v.split("\\s+")));
            }
        }
        if (results.size() < 2) {
            throw new IOException("BashJavaUtils " + command + " failed:\n" + out);
        }
        return results;
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
