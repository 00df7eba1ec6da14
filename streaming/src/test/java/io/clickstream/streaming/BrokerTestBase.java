package io.clickstream.streaming;

import java.nio.file.Path;
import java.time.Duration;

import io.clickstream.infra.kafka.LocalKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the streaming ITCases share: a real Kafka broker per test class in its own JVM, a temporary
 * directory for the class's warehouses and checkpoints, and a reset {@link FailureInjector}.
 */
abstract class BrokerTestBase {
    @TempDir
    static Path tmp;
    static LocalKafkaBroker broker;
    @RegisterExtension
    static final BrokerDiagnostics DIAGNOSTICS = new BrokerDiagnostics(() -> broker);

    @BeforeAll
    static void startBroker() throws Exception {
        broker = LocalKafkaBroker.start(tmp.resolve("kafka"), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    @BeforeEach
    void resetInjector() {
        FailureInjector.reset();
    }
}
