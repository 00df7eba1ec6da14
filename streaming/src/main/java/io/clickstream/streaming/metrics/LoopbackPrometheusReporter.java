package io.clickstream.streaming.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Properties;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter ({@code flink-metrics-prometheus}: the same metric names, labels and
 * types), serving {@code /metrics} on a given address instead of every interface.
 *
 * <p>Why not Flink's {@code PrometheusReporter} itself: in 2.0.0 it binds its HTTP server to the wildcard
 * address and has no host setting, and every listener the project starts must stay on loopback unless
 * told otherwise. This class keeps all of Flink's conversion logic ({@link AbstractPrometheusReporter})
 * and only replaces the server; the reporter's registry is a package-private field upstream, read once
 * here by reflection.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
    /** Name of the reporter in Flink's {@code metrics.reporter.<name>.*} settings. */
    public static final String REPORTER_NAME = "prom";
    private static final String PREFIX = "metrics.reporter." + REPORTER_NAME + ".";

    private final HTTPServer server;

    LoopbackPrometheusReporter(String host, int port) {
        try {
            server = new HTTPServer(new InetSocketAddress(host, port), registryOf(this), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve Prometheus metrics on " + host + ":" + port, e);
        }
        log.info("Prometheus metrics on http://{}:{}/metrics", host, server.getPort());
    }

    /** The port the server listens on. */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }

    /**
     * Sets the Flink configuration that installs this reporter on {@code host:port}: effective where the
     * job creates its own cluster (the local MiniCluster of the demo, the tests and {@code ClickstreamJob}
     * without a cluster). A Flink cluster takes its reporters from its own configuration.
     */
    public static void configure(Configuration flink, String host, int port) {
        flink.setString(PREFIX + "factory.class", Factory.class.getName());
        flink.setString(PREFIX + "host", host);
        flink.setString(PREFIX + "port", Integer.toString(port));
    }

    private static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
        try {
            Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
            f.setAccessible(true);
            return (CollectorRegistry) f.get(reporter);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("flink-metrics-prometheus changed: no registry field in AbstractPrometheusReporter", e);
        }
    }

    /**
     * The factory Flink instantiates from {@code metrics.reporter.prom.factory.class}; Flink finds it through the
     * service file {@code META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory}.
     */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new LoopbackPrometheusReporter(properties.getProperty("host", "127.0.0.1"),
                Integer.parseInt(properties.getProperty("port", "9249")));
        }
    }
}
