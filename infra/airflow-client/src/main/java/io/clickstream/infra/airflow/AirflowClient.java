package io.clickstream.infra.airflow;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A thin, typed client for the parts of Airflow 3's REST API ({@code /api/v2}) that operating the
 * clickstream DAGs needs: pause/unpause, trigger, run and task states, backfills, import errors.
 * Authenticates with a JWT from {@code POST /auth/token} (renewed on 401). Written by hand against
 * the OpenAPI spec the installed Airflow serves ({@code /openapi.json}): {@code airflow-client-java}
 * is not on the mirror and a generated client would pull a large dependency set for seven calls.
 */
public final class AirflowClient {
    /** Terminal DAG run states. */
    public static final Set<String> FINISHED = Set.of("success", "failed");

    /** A DAG run as the API reports it. */
    public record DagRun(String dagId, String runId, String state, String logicalDate, String dataIntervalStart,
            String dataIntervalEnd, String startDate, String endDate) {
        public boolean finished() {
            return FINISHED.contains(state);
        }
    }

    /** A task instance of a run, with how many times it has been tried. */
    public record TaskInstance(String taskId, String state, int tryNumber) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String user;
    private final String password;
    // HTTP/1.1: the h2c upgrade the JDK client attempts by default loses request bodies on uvicorn.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    /** {@code base} is the API server's root, e.g. {@code http://127.0.0.1:8080}. */
    public AirflowClient(URI base, String user, String password) {
        this.base = base;
        this.user = user;
        this.password = password;
    }

    /** The API server reports every component healthy. */
    public boolean healthy() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v2/monitor/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return false;
            }
            JsonNode n = JSON.readTree(r.body());
            for (String c : List.of("metadatabase", "scheduler", "dag_processor")) {
                if (!"healthy".equals(n.path(c).path("status").asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** DAG ids the scheduler knows. */
    public List<String> dagIds() throws IOException {
        List<String> out = new ArrayList<>();
        get("/api/v2/dags?limit=100").path("dags").forEach(d -> out.add(d.path("dag_id").asText()));
        return out;
    }

    /** Files that failed to import (should be empty). */
    public List<String> importErrors() throws IOException {
        List<String> out = new ArrayList<>();
        get("/api/v2/importErrors").path("import_errors").forEach(e -> out.add(e.path("filename").asText() + ": "
            + e.path("stack_trace").asText()));
        return out;
    }

    public void setPaused(String dagId, boolean paused) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("is_paused", paused);
        send("PATCH", "/api/v2/dags/" + enc(dagId), body);
    }

    /**
     * Triggers a run. {@code logicalDate} null = a run without a data interval (fine for the
     * correction DAG); otherwise the run covers the interval that ends at it.
     */
    public DagRun trigger(String dagId, Instant logicalDate, Map<String, Object> conf) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (logicalDate != null) {
            body.put("logical_date", logicalDate.toString());
        } else {
            body.putNull("logical_date");
        }
        body.set("conf", JSON.valueToTree(conf));
        return dagRun(send("POST", "/api/v2/dags/" + enc(dagId) + "/dagRuns", body));
    }

    public DagRun dagRun(String dagId, String runId) throws IOException {
        return dagRun(get("/api/v2/dags/" + enc(dagId) + "/dagRuns/" + enc(runId)));
    }

    /** The most recent runs, newest first. */
    public List<DagRun> dagRuns(String dagId, int limit) throws IOException {
        List<DagRun> out = new ArrayList<>();
        get("/api/v2/dags/" + enc(dagId) + "/dagRuns?order_by=-run_after&limit=" + limit).path("dag_runs")
            .forEach(n -> out.add(dagRun(n)));
        return out;
    }

    public List<TaskInstance> taskInstances(String dagId, String runId) throws IOException {
        List<TaskInstance> out = new ArrayList<>();
        get("/api/v2/dags/" + enc(dagId) + "/dagRuns/" + enc(runId) + "/taskInstances").path("task_instances")
            .forEach(n -> out.add(new TaskInstance(n.path("task_id").asText(), n.path("state").asText(null), n.path("try_number").asInt())));
        return out;
    }

    /** Creates a backfill of [from, to) (re-running completed runs too); returns its id. */
    public long backfill(String dagId, LocalDate from, LocalDate to) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("dag_id", dagId).put("from_date", from + "T00:00:00Z")
            .put("to_date", to + "T00:00:00Z").put("reprocess_behavior", "completed").put("max_active_runs", 1);
        return send("POST", "/api/v2/backfills", body).path("id").asLong();
    }

    /** Polls the run until it succeeded or failed. */
    public DagRun await(String dagId, String runId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DagRun r = dagRun(dagId, runId);
            if (r.finished()) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("run " + runId + " of " + dagId + " still " + r.state() + " after " + timeout);
            }
            Thread.sleep(1_000);
        }
    }

    /**
     * Waits until no run of the given DAGs is queued or running (e.g. the scheduled run that unpausing
     * a DAG creates), so that stopping Airflow does not cut a task short.
     */
    public void awaitIdle(List<String> dagIds, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean busy = false;
            for (String dag : dagIds) {
                for (DagRun r : dagRuns(dag, 20)) {
                    busy |= !r.finished();
                }
            }
            if (!busy) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("runs of " + dagIds + " still active after " + timeout);
            }
            Thread.sleep(1_000);
        }
    }

    private static DagRun dagRun(JsonNode n) {
        return new DagRun(n.path("dag_id").asText(), n.path("dag_run_id").asText(), n.path("state").asText(),
            n.path("logical_date").asText(null), n.path("data_interval_start").asText(null), n.path("data_interval_end").asText(null),
            n.path("start_date").asText(null), n.path("end_date").asText(null));
    }

    private JsonNode get(String path) throws IOException {
        return send("GET", path, null);
    }

    private JsonNode send(String method, String path, JsonNode body) throws IOException {
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token()).header("Accept", "application/json");
            if (body != null) {
                b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = call(b.build());
            if (r.statusCode() == 401 && attempt == 0) {
                token = null;
                continue;
            }
            if (r.statusCode() / 100 != 2) {
                throw new IOException(method + " " + path + " -> HTTP " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        }
    }

    private synchronized String token() throws IOException {
        if (token == null) {
            ObjectNode body = JSON.createObjectNode().put("username", user).put("password", password);
            HttpResponse<String> r = call(HttpRequest.newBuilder(base.resolve("/auth/token")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("POST /auth/token -> HTTP " + r.statusCode() + ": " + r.body());
            }
            token = JSON.readTree(r.body()).path("access_token").asText();
        }
        return token;
    }

    private HttpResponse<String> call(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
