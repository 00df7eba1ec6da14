package io.clickstream.infra.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: a tied process group is stopped on close and when its parent JVM is SIGKILLed. */
class TiedProcessTest {
    @TempDir
    Path tmp;

    /** A server that ignores SIGINT and SIGTERM and has a child of its own: the group still ends (SIGKILL). */
    @Test
    void closeStopsTheWholeProcessGroupEvenWhenSignalsAreIgnored() throws Exception {
        TiedProcess p = TiedProcess.start("stubborn", List.of("bash", "-c", "trap '' INT TERM; sleep 600 & sleep 601 & wait; wait"),
            tmp, tmp.resolve("stubborn.log"), "INT", Duration.ofSeconds(1), Map.of());
        long leader = awaitLeader(p);
        assertThat(Ports.await(() -> groupMembers(leader).size() == 3, () -> true, Duration.ofSeconds(10)))
            .as("bash and its two sleeps run in their own group").isTrue();
        long t0 = System.nanoTime();
        p.close();
        assertThat(groupMembers(leader)).as("group members left after close").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void exitCodeIsTheServersAndStragglersAreStopped() throws Exception {
        try (TiedProcess p = TiedProcess.start("short", List.of("bash", "-c", "sleep 600 & exit 3"), tmp, tmp.resolve("short.log"),
                "TERM", Duration.ofSeconds(1), Map.of())) {
            long leader = awaitLeader(p);
            assertThat(p.waitFor(Duration.ofSeconds(20))).isEqualTo(3);
            assertThat(groupMembers(leader)).as("the left-behind sleep was stopped").isEmpty();
        }
    }

    /** Ctrl-C reaches the launcher's process group (the wrapper), not the server's: the wrapper stops the server's group. */
    @Test
    void sigintToTheWrapperStopsTheGroup() throws Exception {
        TiedProcess p = TiedProcess.start("ctrl-c", List.of("bash", "-c", "trap '' INT; sleep 600 & wait; wait"), tmp,
            tmp.resolve("ctrl-c.log"), "INT", Duration.ofSeconds(1), Map.of());
        long leader = awaitLeader(p);
        assertThat(Ports.await(() -> groupMembers(leader).size() == 2, () -> true, Duration.ofSeconds(10))).isTrue();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(Duration.ofSeconds(15))).as("wrapper exit code after SIGINT").isEqualTo(143);
        assertThat(groupMembers(leader)).as("group members left after Ctrl-C").isEmpty();
        p.close();
    }

    /** The parent JVM dies by SIGKILL (no shutdown hook runs): its tied server stops anyway. */
    @Test
    void serverStopsWhenTheParentJvmIsKilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Parent.class.getName(), tmp.toString())
            .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("parent output").startsWith("LEADER ");
        long leader = Long.parseLong(line.substring("LEADER ".length()).trim());
        assertThat(groupMembers(leader)).isNotEmpty();
        parent.destroyForcibly().waitFor();
        assertThat(Ports.await(() -> groupMembers(leader).isEmpty(), () -> true, Duration.ofSeconds(15)))
            .as("group of the SIGKILLed parent's server gone").isTrue();
    }

    /** Starts a tied {@code sleep} and waits forever; the test kills it. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            TiedProcess p = TiedProcess.start("sleeper", List.of("bash", "-c", "sleep 600 & sleep 601 & wait"), dir,
                dir.resolve("sleeper.log"), "INT", Duration.ofSeconds(1), Map.of());
            System.out.println("LEADER " + awaitLeader(p));
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    static long awaitLeader(TiedProcess p) {
        assertThat(Ports.await(() -> p.serverPid() != p.pid(), p::isAlive, Duration.ofSeconds(10))).as("pid file written").isTrue();
        return p.serverPid();
    }

    /** Live (not zombie) processes whose process group is {@code pgid}, from /proc. */
    static List<Long> groupMembers(long pgid) {
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
            Optional<String> stat = readStat(pid);
            if (stat.isEmpty()) {
                return false;
            }
            String[] f = stat.get().substring(stat.get().lastIndexOf(')') + 2).split(" ");
            return !f[0].equals("Z") && Long.parseLong(f[2]) == pgid;
        }).toList();
    }

    private static Optional<String> readStat(long pid) {
        try {
            return Optional.of(java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
