package io.clickstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Polls a running job's checkpoint statistics from Flink's REST API (the MiniCluster serves it too)
 * and keeps the last answer, since the API goes away with the local cluster when the job ends.
 */
final class CheckpointStats implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread poller;
    private volatile JsonNode last;

    CheckpointStats(int restPort, String jobId) {
        URI uri = URI.create("http://127.0.0.1:" + restPort + "/jobs/" + jobId + "/checkpoints");
        poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        last = RunResult.JSON.readTree(r.body());
                    }
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // cluster not up yet or already gone: keep the last answer
                }
            }
        }, "checkpoint-stats");
        poller.setDaemon(true);
        poller.start();
    }

    void fill(RunResult r) {
        JsonNode j = last;
        if (j == null) {
            return;
        }
        r.checkpoints = j.path("counts").path("completed").asLong();
        JsonNode d = j.path("summary").path("end_to_end_duration");
        r.checkpointAvgMs = d.path("avg").asDouble();
        r.checkpointMaxMs = d.path("max").asDouble();
        // state_size: the full state a checkpoint restores from; checkpointed_size: what it uploaded (the same with full
        // snapshots, only the changed files with RocksDB's incremental checkpoints).
        JsonNode latest = j.path("latest").path("completed");
        if (latest.has("state_size")) {
            r.checkpointStateBytes = latest.path("state_size").asLong();
        }
        JsonNode uploaded = j.path("summary").path("checkpointed_size");
        if (uploaded.has("avg")) {
            r.checkpointUploadedAvgBytes = uploaded.path("avg").asLong();
        }
    }

    @Override
    public void close() {
        poller.interrupt();
    }
}
