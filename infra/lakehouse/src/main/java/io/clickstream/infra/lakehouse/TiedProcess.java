package io.clickstream.infra.lakehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server (or job) process whose life is tied to this JVM's. It runs under a small bash wrapper
 * ({@code clickstream/tied-process.sh}) that starts it in its own process group and stops the whole
 * group - the given signal, then SIGTERM, then SIGKILL, each after a short grace period while any
 * member is alive - when the wrapper's stdin (a pipe from this JVM) closes, i.e. on {@link #close()}
 * or when this JVM dies (even by SIGKILL), when the wrapper gets SIGINT/SIGTERM/SIGHUP (Ctrl-C), and,
 * for stragglers, when the process itself exits. Keeps tests and demos from leaving Trino, PostgreSQL,
 * Airflow or Spark processes behind; grandchildren that ignore the first signal (Airflow's workers do)
 * are covered because the whole group is signalled.
 */
public final class TiedProcess implements AutoCloseable {
    /** Default grace period per stop signal. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private static final String WRAPPER = loadWrapper();

    private final Process process;
    private final String name;
    private final Path pidFile;
    private final Duration grace;

    private TiedProcess(Process process, String name, Path pidFile, Duration grace) {
        this.process = process;
        this.name = name;
        this.pidFile = pidFile;
        this.grace = grace;
    }

    /** Starts {@code command} in {@code workDir}, stdout and stderr to {@code log}; {@code stopSignal} is e.g. TERM or INT. */
    public static TiedProcess start(String name, List<String> command, Path workDir, Path log, String stopSignal) throws IOException {
        return start(name, command, workDir, log, stopSignal, Map.of());
    }

    /** As {@link #start(String, List, Path, Path, String)}, with extra environment variables. */
    public static TiedProcess start(String name, List<String> command, Path workDir, Path log, String stopSignal,
            Map<String, String> env) throws IOException {
        return start(name, command, workDir, log, stopSignal, DEFAULT_GRACE, env);
    }

    /** As above, with the grace period the group gets after each stop signal before the next, stronger one. */
    public static TiedProcess start(String name, List<String> command, Path workDir, Path log, String stopSignal,
            Duration grace, Map<String, String> env) throws IOException {
        Path pidFile = log.resolveSibling(log.getFileName() + ".pid");
        Files.deleteIfExists(pidFile);
        // env resets INT/TERM/HUP to their default first: a shell cannot trap a signal that was ignored when it
        // started, and a JVM launched in the background (nohup, "&" in a script, some CI runners) passes SIGINT on
        // ignored; the wrapper's Ctrl-C handling and a server's own SIGINT shutdown (Airflow) would then do nothing.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP", "bash", "-c", WRAPPER, "tied-process",
            pidFile.toString(), stopSignal,
            String.valueOf(Math.max(1, grace.toSeconds()))));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new TiedProcess(pb.start(), name, pidFile, grace);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** The server process itself (the leader of its process group), for memory readings; the wrapper's pid until it is known. */
    public long serverPid() {
        try {
            String s = Files.exists(pidFile) ? Files.readString(pidFile).trim() : "";
            return s.isEmpty() ? process.pid() : Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            return process.pid();
        }
    }

    /** Waits for the process to end (the group's stragglers stopped too); its exit code, or -1 on timeout. */
    public int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Stops the whole process group (see the class comment) and waits for it. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(grace.toMillis() * 3 + 10_000, TimeUnit.MILLISECONDS)) {
                System.err.println(name + " did not stop in time; killing its process group");
                killGroup();
            }
        } catch (IOException e) {
            killGroup();
        } catch (InterruptedException e) {
            killGroup();
            Thread.currentThread().interrupt();
        }
    }

    private void killGroup() {
        long leader = serverPid();
        try {
            if (leader != process.pid()) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + leader).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // fall through to the wrapper
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String loadWrapper() {
        try (InputStream in = TiedProcess.class.getResourceAsStream("/clickstream/tied-process.sh")) {
            if (in == null) {
                throw new IllegalStateException("clickstream/tied-process.sh missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
