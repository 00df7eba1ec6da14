package io.clickstream.infra.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops a real Kafka broker (KRaft) in a separate JVM: the embedded default stack of the
 * demo and of the tests.
 *
 * <p>Uses only the JDK, so engine modules can use it without the broker's Scala classpath. The broker
 * classpath is the {@code clickstream/broker.classpath} resource that the build of this module writes.
 * The broker listens on free loopback ports and stops when {@link #close()} is called or when this
 * JVM dies, even by SIGKILL (it watches its stdin, and halts if its orderly shutdown takes longer than
 * {@link KafkaBrokerMain#SHUTDOWN_LIMIT}). It runs in its own session and process group ({@code
 * setsid}), like the servers of {@code infra/lakehouse}: a Ctrl-C or a signal to the launcher's group
 * reaches the launcher, which stops the broker in order, rather than both at once.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final String CLASSPATH_RESOURCE = "clickstream/broker.classpath";
    private static final String SETSID = "/usr/bin/setsid";

    private volatile Process process;
    private List<String> clusterArgs = List.of();
    private final String bootstrapServers;
    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;

    private LocalKafkaBroker(Process process, String bootstrapServers, Path dataDir, int brokerPort, int controllerPort) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker with its data under {@code dataDir} and waits until it accepts connections. */
    public static LocalKafkaBroker start(Path dataDir, Duration timeout) throws IOException {
        return start(dataDir, freePort(), timeout);
    }

    /** Wraps a node of a {@link LocalKafkaCluster}: same kill/restart/close as a single broker. */
    static LocalKafkaBroker node(Process p, String bootstrap, Path dataDir, int port, int controllerPort, List<String> clusterArgs) {
        LocalKafkaBroker b = new LocalKafkaBroker(p, bootstrap, dataDir, port, controllerPort);
        b.clusterArgs = List.copyOf(clusterArgs);
        return b;
    }

    /** Starts a broker on a given client port (0 = any free port). */
    public static LocalKafkaBroker start(Path dataDir, int brokerPort, Duration timeout) throws IOException {
        Files.createDirectories(dataDir);
        int port = brokerPort == 0 ? freePort() : brokerPort;
        int controllerPort = freePort();
        Process p = launch(dataDir, port, controllerPort);
        String bootstrap = awaitReady(p, dataDir, timeout);
        return new LocalKafkaBroker(p, bootstrap, dataDir, port, controllerPort);
    }

    private static Process launch(Path dataDir, int port, int controllerPort) throws IOException {
        return launch(dataDir, port, controllerPort, List.of());
    }

    /** Launches one broker JVM; {@code clusterArgs} are {@link KafkaBrokerMain}'s node id, voters and replication. */
    static Process launch(Path dataDir, int port, int controllerPort, List<String> clusterArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of(SETSID))) {
            // Own session and process group; setsid execs the JVM in place (the child is no group leader), so
            // process.pid() stays the broker's.
            cmd.add(SETSID);
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xms256m");
        cmd.add("-Xmx768m");
        cmd.add("-XX:+UseParallelGC");
        cmd.add("-Xlog:gc:file=" + dataDir.resolve("gc.log").toAbsolutePath() + ":time,uptime:filecount=2,filesize=4m");
        cmd.add("-Dlog4j.configuration=" + LocalKafkaBroker.class.getResource("/clickstream/broker-log4j.properties"));
        cmd.add("-cp");
        cmd.add(ownLocation() + java.io.File.pathSeparator + brokerClasspath());
        cmd.add(KafkaBrokerMain.class.getName());
        cmd.add(dataDir.toAbsolutePath().toString());
        cmd.add(String.valueOf(port));
        cmd.add(String.valueOf(controllerPort));
        cmd.addAll(clusterArgs);
        Path log = dataDir.resolve("broker.log");
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    static String awaitReady(Process p, Path dataDir, Duration timeout) throws IOException {
        Path log = dataDir.resolve("broker.log");
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> awaitReady(p.getInputStream()));
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            String tail = Files.exists(log) ? tail(Files.readString(log), 4000) : "";
            throw new IOException("Kafka broker did not become ready within " + timeout + " (log " + log + "):\n" + tail, e);
        }
    }

    /**
     * Kills the broker process with SIGKILL, as a crash would: no controlled shutdown, no flush.
     * {@link #restart(Duration)} brings it back on the same ports and data.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts the broker again on the same ports and data directory (after {@link #kill()}) and waits until it is ready. */
    public void restart(Duration timeout) throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("broker still running (pid " + process.pid() + ")");
        }
        Process p = launch(dataDir, brokerPort, controllerPort, clusterArgs);
        awaitReady(p, dataDir, timeout);
        process = p;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What a failed test needs to tell a broker stall from a client problem: the tail of the broker's log
     * and GC log and, while it runs, a thread dump ({@code jcmd Thread.print}).
     */
    public String diagnostics(int maxChars) {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("broker.log", "gc.log")) {
            Path f = dataDir.resolve(name);
            try {
                out.append("---- ").append(f).append('\n')
                    .append(Files.exists(f) ? tail(Files.readString(f), maxChars) : "(none)").append('\n');
            } catch (IOException e) {
                out.append("(unreadable: ").append(e).append(")\n");
            }
        }
        if (process.isAlive()) {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            try {
                Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
                String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
                out.append("---- threads of broker pid ").append(process.pid()).append('\n').append(tail(dump, 4 * maxChars));
            } catch (IOException e) {
                out.append("(no thread dump: ").append(e).append(")\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            out.append("---- broker process is not alive (exit ").append(process.exitValue()).append(")\n");
        }
        return out.toString();
    }

    /** Runs a broker until killed: {@code LocalKafkaBroker <data-dir> [port]}, for people who want a long-running stack. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/kafka");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        try (LocalKafkaBroker broker = start(dir, port, Duration.ofSeconds(60))) {
            System.out.println("Kafka broker (pid " + broker.pid() + ") at " + broker.bootstrapServers() + "; Ctrl-C stops it");
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            broker.process.waitFor();
        }
    }

    private static String awaitReady(InputStream stdout) {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    String bootstrap = line.substring("READY ".length()).trim();
                    Thread drain = new Thread(() -> drain(r), "kafka-broker-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return bootstrap;
                }
            }
            throw new IllegalStateException("broker exited before it was ready");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // discard
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    private static String brokerClasspath() throws IOException {
        try (InputStream in = LocalKafkaBroker.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IOException(CLASSPATH_RESOURCE + " missing: build infra/kafka-broker with Maven first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static String ownLocation() {
        try {
            return Path.of(LocalKafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }
}
