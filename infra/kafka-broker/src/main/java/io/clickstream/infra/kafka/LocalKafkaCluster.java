package io.clickstream.infra.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A replicated Kafka cluster on this machine: {@code n} KRaft nodes (each broker and controller, one JVM
 * each, own process group, stopped with the JVM that started them like {@link LocalKafkaBroker}) with
 * replication factor {@code n} and {@code min.insync.replicas = n - 1} for the internal and default topics.
 *
 * <p>The nodes start together: a broker only reports ready once the controller quorum (a majority) elected
 * a leader, so waiting for the first before starting the second would never end. Ports stay fixed for the
 * cluster's life, so {@link #node(int)}{@code .kill()} and {@code .restart()} bring a node back as it was.
 */
public final class LocalKafkaCluster implements AutoCloseable {
    private final List<LocalKafkaBroker> nodes;

    private LocalKafkaCluster(List<LocalKafkaBroker> nodes) {
        this.nodes = nodes;
    }

    /**
     * Starts {@code n} nodes with data under {@code dir}/node-1..n on the given client ports (0 = free ports); a node's
     * controller listens on its client port + 100.
     */
    public static LocalKafkaCluster start(Path dir, List<Integer> clientPorts, Duration timeout) throws IOException {
        int n = clientPorts.size();
        List<Integer> ports = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        StringJoiner voters = new StringJoiner(",");
        for (int i = 0; i < n; i++) {
            ports.add(clientPorts.get(i) == 0 ? LocalKafkaBroker.freePort() : clientPorts.get(i));
            // Fixed client ports get their controller port beside them (+100), out of the ephemeral range as well.
            controllerPorts.add(clientPorts.get(i) == 0 ? LocalKafkaBroker.freePort() : clientPorts.get(i) + 100);
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        List<Process> processes = new ArrayList<>();
        List<List<String>> args = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Path d = dir.resolve("node-" + (i + 1));
                Files.createDirectories(d);
                List<String> a = List.of(String.valueOf(i + 1), voters.toString(), String.valueOf(n));
                processes.add(LocalKafkaBroker.launch(d, ports.get(i), controllerPorts.get(i), a));
                args.add(a);
                dirs.add(d);
            }
            List<CompletableFuture<String>> ready = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                ready.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return LocalKafkaBroker.awaitReady(processes.get(k), dirs.get(k), timeout);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            List<LocalKafkaBroker> nodes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                nodes.add(LocalKafkaBroker.node(processes.get(i), ready.get(i).join(), dirs.get(i), ports.get(i),
                    controllerPorts.get(i), args.get(i)));
            }
            return new LocalKafkaCluster(nodes);
        } catch (RuntimeException e) {
            processes.forEach(Process::destroyForcibly);
            throw new IOException("Kafka cluster of " + n + " nodes did not start: " + e.getMessage(), e);
        }
    }

    /** Comma-separated bootstrap servers of every node. */
    public String bootstrapServers() {
        return nodes.stream().map(LocalKafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** Node {@code i} (1-based, as its node.id). */
    public LocalKafkaBroker node(int i) {
        return nodes.get(i - 1);
    }

    public int size() {
        return nodes.size();
    }

    @Override
    public void close() {
        List<Thread> stops = new ArrayList<>();
        for (LocalKafkaBroker b : nodes) {
            Thread t = new Thread(b::close, "stop-kafka-node");
            t.start();
            stops.add(t);
        }
        for (Thread t : stops) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
