package io.clickstream.infra.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import org.junit.jupiter.api.Test;

class ListenersTest {
    @Test
    void parsesSsOutputAndTellsLoopbackFromTheRest() {
        String ss = """
            LISTEN 0      50     [::ffff:127.0.0.1]:40001 *:* users:(("java",pid=11,fd=5))
            LISTEN 0      4096   127.0.0.1:40002 0.0.0.0:* users:(("postgres",pid=12,fd=6),("postgres",pid=13,fd=6))
            LISTEN 0      128    0.0.0.0:8793 0.0.0.0:* users:(("airflow serve-l",pid=14,fd=3))
            LISTEN 0      50     *:8080 *:* users:(("java",pid=15,fd=7))
            LISTEN 0      50     [::1]:40003 [::]:* users:(("java",pid=11,fd=8))
            LISTEN 0      50     10.0.0.5:40004 0.0.0.0:* users:(("java",pid=11,fd=9))
            LISTEN 0      128    0.0.0.0:2024 0.0.0.0:*
            """;
        List<Listeners.Listener> all = Listeners.parse(ss);
        assertThat(all).extracting(Listeners.Listener::toString).containsExactly(
            "[::ffff:127.0.0.1]:40001 (java, pid 11)", "127.0.0.1:40002 (postgres, pid 12)", "127.0.0.1:40002 (postgres, pid 13)",
            "0.0.0.0:8793 (airflow serve-l, pid 14)", "*:8080 (java, pid 15)", "[::1]:40003 (java, pid 11)",
            "10.0.0.5:40004 (java, pid 11)");
        assertThat(all).filteredOn(l -> !l.loopback()).extracting(Listeners.Listener::port).containsExactly(8793, 8080, 40004);
    }

    /** Real sockets of this JVM: a wildcard listener is reported, a loopback one is not. */
    @Test
    void findsThisJvmsWildcardListener() throws IOException {
        try (ServerSocket loop = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); ServerSocket any = new ServerSocket(0)) {
            List<Listeners.Listener> bad = Listeners.nonLoopbackOfOurProcesses();
            assertThat(bad).extracting(Listeners.Listener::port).contains(any.getLocalPort()).doesNotContain(loop.getLocalPort());
        }
    }
}
