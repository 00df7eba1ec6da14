package io.clickstream.streaming;

import java.util.Optional;
import java.util.function.Supplier;

import io.clickstream.infra.kafka.LocalKafkaBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the broker's log tail, GC log and a thread dump when a test fails, before the broker and its
 * temporary directory are gone: a producer timeout alone cannot tell a stalled broker from a client problem.
 */
final class BrokerDiagnostics implements TestWatcher {
    private final Supplier<LocalKafkaBroker> broker;

    BrokerDiagnostics(Supplier<LocalKafkaBroker> broker) {
        this.broker = broker;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        LocalKafkaBroker b = broker.get();
        if (b != null) {
            System.err.println("==== broker diagnostics for failed test " + context.getDisplayName()
                + Optional.ofNullable(cause).map(c -> " (" + c + ")").orElse("") + "\n" + b.diagnostics(20_000));
        }
    }
}
