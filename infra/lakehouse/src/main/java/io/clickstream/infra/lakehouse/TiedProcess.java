package io.clickstream.infra.lakehouse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process whose life is tied to this JVM's: it runs under a tiny {@code sh} wrapper that
 * reads the wrapper's stdin (a pipe from this JVM; fd 3, because sh gives background jobs /dev/null) and sends the server a stop signal when that pipe
 * closes, i.e. on {@link #close()} or when this JVM dies, even by SIGKILL. Keeps tests and demos from
 * leaving Trino or PostgreSQL servers behind.
 */
public final class TiedProcess implements AutoCloseable {
    private static final String WRAPPER =
        "exec 3<&0; sig=$1; shift; \"$@\" </dev/null & child=$!; { cat <&3 >/dev/null; kill -s \"$sig\" $child 2>/dev/null; } & wait $child";

    private final Process process;
    private final String name;

    private TiedProcess(Process process, String name) {
        this.process = process;
        this.name = name;
    }

    /** Starts {@code command} in {@code workDir}, stdout and stderr to {@code log}; {@code stopSignal} is e.g. TERM or INT. */
    public static TiedProcess start(String name, List<String> command, Path workDir, Path log, String stopSignal) throws IOException {
        return start(name, command, workDir, log, stopSignal, java.util.Map.of());
    }

    /** As {@link #start(String, List, Path, Path, String)}, with extra environment variables. */
    public static TiedProcess start(String name, List<String> command, Path workDir, Path log, String stopSignal,
            java.util.Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", WRAPPER, "sh", stopSignal));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new TiedProcess(pb.start(), name);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** The wrapper's pid's children: the server process itself, for memory readings. */
    public long serverPid() {
        return process.toHandle().children().findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                System.err.println(name + " did not stop within 60 s; killing it");
                process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
