package io.clickstream.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker JVM runs in its own process group and still dies with its launcher when the launcher is
 * SIGKILLed (no shutdown hook runs then): what {@code infra/bin/kafka.sh} and every test rely on.
 */
class BrokerProcessGroupITCase {
    private static final Pattern STARTED = Pattern.compile("Kafka broker \\(pid (\\d+)\\) at ");

    @Test
    void brokerHasItsOwnProcessGroupAndStopsWhenItsLauncherIsKilled(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process launcher = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LocalKafkaBroker.class.getName(),
            dir.resolve("kafka").toString(), "0").redirectErrorStream(true).start();
        long broker = -1;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while (broker < 0 && (line = out.readLine()) != null) {
                Matcher m = STARTED.matcher(line);
                if (m.find()) {
                    broker = Long.parseLong(m.group(1));
                }
            }
            assertThat(broker).as("the launcher reported the broker's pid").isPositive();
            assertThat(processGroup(broker)).as("the broker leads its own process group").isEqualTo(broker)
                .isNotEqualTo(processGroup(launcher.pid()));

            launcher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            ProcessHandle handle = ProcessHandle.of(broker).orElse(null);
            if (handle != null) {
                // The broker sees its stdin close, shuts down, or halts after KafkaBrokerMain.SHUTDOWN_LIMIT.
                handle.onExit().get(KafkaBrokerMain.SHUTDOWN_LIMIT.toSeconds() + 30, TimeUnit.SECONDS);
            }
            assertThat(ProcessHandle.of(broker).map(ProcessHandle::isAlive).orElse(false)).as("broker alive after its launcher's SIGKILL")
                .isFalse();
        } finally {
            launcher.destroyForcibly();
            if (broker > 0) {
                ProcessHandle.of(broker).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static long processGroup(long pid) throws Exception {
        Process ps = new ProcessBuilder("ps", "-o", "pgid=", "-p", String.valueOf(pid)).start();
        String s = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        ps.waitFor();
        return Long.parseLong(s);
    }
}
