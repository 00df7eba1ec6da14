package io.clickstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickstream.infra.lakehouse.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert-rule routes through a real HTTP client against the running service and a real PostgreSQL:
 * create, get, list (with the enabled filter), replace, soft disable and enable, conflicts, 404s,
 * validation 400s, 401; and the rows the alerting job reads, checked in the database itself.
 */
class AlertRulesApiITCase {
    static final String KEY = "cs_alert-rules-test-key";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static LocalPostgres pg;
    static ApiServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A valid rule as a client sends it (the same one AlertRuleTest in tables reads back). */
    static final String VALID = "{\"rule_id\":\"views-spike\",\"name\":\"Views spike on /p/1\",\"metric\":\"page_views\","
        + "\"filter_page\":\"/p/1\",\"filter_event_type\":\"page_view\",\"condition\":\"zscore_above\",\"threshold\":3.5,"
        + "\"baseline_windows\":30,\"window_seconds\":60,\"slide_seconds\":10,\"min_duration_seconds\":20,\"channel\":\"webhook\","
        + "\"webhook_url\":\"https://hooks.example.com/a\"}";

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60));
        ServiceApiOptions o = new ServiceApiOptions();
        o.port = 0;
        o.bootstrapServers = "127.0.0.1:1";
        o.alertRulesJdbcUrl = pg.jdbcUrl();
        o.alertRulesUser = LocalPostgres.USER;
        o.alertRulesPassword = pg.password();
        Path keys = Files.writeString(tmp.resolve("keys"), ApiKeys.hash(KEY) + "\n");
        o.apiKeysFile = keys;
        o.validate();
        server = ApiServer.start(o, ApiKeys.load(keys));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    static HttpResponse<String> call(String method, String path, String body, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path)).header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth) {
            b.header("Authorization", "Bearer " + KEY);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    @Test
    void lifecycleOfARule() throws Exception {
        Instant before = Instant.now().minusSeconds(5);
        JsonNode created = ok(call("POST", "/v1/alert-rules", VALID, true), 201);
        assertThat(created.get("rule_id").asText()).isEqualTo("views-spike");
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("version").asLong()).isEqualTo(1);
        assertThat(created.get("baseline_windows").asInt()).isEqualTo(30);
        assertThat(created.get("filter_country").isNull()).isTrue();
        Instant createdAt = Instant.parse(created.get("created_at").asText());
        assertThat(createdAt).isAfter(before);
        assertThat(created.get("updated_at").asText()).isEqualTo(created.get("created_at").asText());

        assertThat(ok(call("GET", "/v1/alert-rules/views-spike", null, true), 200)).isEqualTo(created);
        JsonNode conflict = ok(call("POST", "/v1/alert-rules", VALID, true), 409);
        assertThat(conflict.get("error").asText()).isEqualTo("conflict");

        String replaced = "{\"name\":\"Purchases drop\",\"metric\":\"purchases\",\"filter_country\":\"DE\",\"condition\":\"below\","
            + "\"threshold\":1,\"window_seconds\":300,\"slide_seconds\":60,\"channel\":\"kafka\"}";
        JsonNode put = ok(call("PUT", "/v1/alert-rules/views-spike", replaced, true), 200);
        assertThat(put.get("metric").asText()).isEqualTo("purchases");
        assertThat(put.get("filter_page").isNull()).isTrue();
        assertThat(put.get("filter_country").asText()).isEqualTo("DE");
        assertThat(put.get("baseline_windows").isNull()).isTrue();
        assertThat(put.get("webhook_url").isNull()).isTrue();
        assertThat(put.get("min_duration_seconds").asInt()).isZero();
        assertThat(put.get("version").asLong()).isEqualTo(2);
        assertThat(put.get("created_at").asText()).isEqualTo(created.get("created_at").asText());
        assertThat(Instant.parse(put.get("updated_at").asText())).isAfterOrEqualTo(createdAt);

        JsonNode disabled = ok(call("PATCH", "/v1/alert-rules/views-spike", "{\"enabled\":false}", true), 200);
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(disabled.get("version").asLong()).isEqualTo(3);
        assertThat(disabled.get("metric").asText()).isEqualTo("purchases");

        ok(call("POST", "/v1/alert-rules", VALID.replace("views-spike", "second"), true), 201);
        assertThat(ids(ok(call("GET", "/v1/alert-rules", null, true), 200))).containsExactly("second", "views-spike");
        assertThat(ids(ok(call("GET", "/v1/alert-rules?enabled=true", null, true), 200))).containsExactly("second");
        assertThat(ids(ok(call("GET", "/v1/alert-rules?enabled=false", null, true), 200))).containsExactly("views-spike");

        // What the alerting job reads: the same row in PostgreSQL, soft-disabled, version 3.
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rule_id, metric, filter_country, condition, threshold, enabled, version "
                 + "FROM alerting.alert_rules ORDER BY rule_id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                    + rs.getDouble(5) + "|" + rs.getBoolean(6) + "|" + rs.getLong(7));
            }
            assertThat(rows).containsExactly("second|page_views|null|zscore_above|3.5|true|1",
                "views-spike|purchases|DE|below|1.0|false|3");
        }

        JsonNode enabled = ok(call("PATCH", "/v1/alert-rules/views-spike", "{\"enabled\":true}", true), 200);
        assertThat(enabled.get("enabled").asBoolean()).isTrue();
        assertThat(enabled.get("version").asLong()).isEqualTo(4);
    }

    @Test
    void errorsAreClear() throws Exception {
        JsonNode invalid = ok(call("POST", "/v1/alert-rules", "{\"rule_id\":\"x\",\"metric\":\"nope\"}", true), 400);
        assertThat(invalid.get("error").asText()).isEqualTo("invalid_rule");
        List<String> problems = new ArrayList<>();
        invalid.get("problems").forEach(p -> problems.add(p.asText()));
        assertThat(problems).containsExactly("name is required",
            "metric must be one of [dlq_rate, duplicate_rate, events, late_rate, page_views, purchases, unique_users]",
            "condition is required", "threshold is required", "window_seconds is required", "slide_seconds is required",
            "channel is required");
        assertThat(ok(call("POST", "/v1/alert-rules", "{not json", true), 400).get("error").asText()).isEqualTo("invalid_rule");
        assertThat(ok(call("GET", "/v1/alert-rules/missing", null, true), 404).get("error").asText()).isEqualTo("not_found");
        assertThat(ok(call("PUT", "/v1/alert-rules/missing", VALID.replace("\"rule_id\":\"views-spike\",", ""), true), 404)
            .get("message").asText()).isEqualTo("no alert rule 'missing'");
        assertThat(ok(call("PATCH", "/v1/alert-rules/missing", "{\"enabled\":false}", true), 404).get("error").asText())
            .isEqualTo("not_found");
        assertThat(ok(call("PATCH", "/v1/alert-rules/missing", "{\"enabled\":false,\"threshold\":2}", true), 400)
            .get("message").asText()).startsWith("PATCH takes exactly {\"enabled\": true|false}");
        assertThat(ok(call("GET", "/v1/alert-rules?enabled=maybe", null, true), 400).get("error").asText()).isEqualTo("bad_request");
        assertThat(call("GET", "/v1/alert-rules", null, false).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/v1/alert-rules", VALID, false).statusCode()).isEqualTo(401);
    }

    static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("rules").forEach(r -> out.add(r.get("rule_id").asText()));
        return out;
    }
}
