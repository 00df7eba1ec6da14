package io.clickstream.infra.lakehouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The TCP listeners of this JVM and of every process it started (its descendants: Kafka, PostgreSQL,
 * Trino, Airflow and their children), read with {@code ss -ltnpH}, so that the demo and the tests can
 * assert that nothing they start listens beyond loopback.
 */
public final class Listeners {
    /** One listening socket: its local address and port, and the owning process. */
    public record Listener(String address, int port, long pid, String process) {
        public boolean loopback() {
            return isLoopback(address);
        }

        @Override
        public String toString() {
            return address + ":" + port + " (" + process + ", pid " + pid + ")";
        }
    }

    private static final Pattern USER = Pattern.compile("\\(\"([^\"]*)\",pid=(\\d+),");

    private Listeners() {}

    /** Listeners of this JVM and its descendants that are not on a loopback address. */
    public static List<Listener> nonLoopbackOfOurProcesses() throws IOException {
        return nonLoopback(ourProcesses());
    }

    /** This JVM's pid and its descendants'. */
    public static Set<Long> ourProcesses() {
        Set<Long> pids = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        pids.add(ProcessHandle.current().pid());
        return pids;
    }

    /** Listeners owned by {@code pids} whose address is not loopback. */
    public static List<Listener> nonLoopback(Set<Long> pids) throws IOException {
        return all().stream().filter(l -> pids.contains(l.pid()) && !l.loopback()).toList();
    }

    /** Every listening TCP socket of the machine that {@code ss} can attribute to a process. */
    public static List<Listener> all() throws IOException {
        Process p = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("ss -ltnpH failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return parse(out);
    }

    /** Parses {@code ss -ltnpH} output (State Recv-Q Send-Q Local:Port Peer:Port Process). */
    static List<Listener> parse(String ssOutput) {
        List<Listener> out = new ArrayList<>();
        for (String line : ssOutput.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6) {
                continue;
            }
            String local = f[3];
            int colon = local.lastIndexOf(':');
            String address = local.substring(0, colon);
            int port = Integer.parseInt(local.substring(colon + 1));
            Matcher m = USER.matcher(line);
            while (m.find()) {
                out.add(new Listener(address, port, Long.parseLong(m.group(2)), m.group(1)));
            }
        }
        return out;
    }

    /** 127.0.0.0/8, ::1, and their IPv4-mapped forms; {@code *}, 0.0.0.0, :: and real addresses are not. */
    static boolean isLoopback(String address) {
        String a = address.replace("[", "").replace("]", "");
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        return a.startsWith("127.") || a.equals("::1") || a.startsWith("::ffff:127.") || a.equals("localhost");
    }
}
