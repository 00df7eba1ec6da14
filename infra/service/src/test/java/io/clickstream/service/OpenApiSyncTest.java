package io.clickstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI description names exactly the routes the server registers (method and path,
 * Javalin's {@code {param}} syntax being OpenAPI's), and every error code the service sends.
 */
class OpenApiSyncTest {
    @Test
    void descriptionListsExactlyTheRegisteredRoutes() throws Exception {
        TreeSet<String> registered = new TreeSet<>();
        Javalin app = ApiServer.createApp(new ServiceApiOptions(), ctx -> { }, ctx -> { }, new AlertRulesEndpoint(null, null),
            r -> registered.add(r.getHttpMethod().name().toLowerCase() + " " + r.getPath()));
        assertThat(app).isNotNull();

        JsonNode doc = new ObjectMapper().readTree(ApiServer.openApi());
        TreeSet<String> described = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(method -> described.add(method + " " + p.getKey()));
        }
        assertThat(described).isEqualTo(registered);
        assertThat(registered).containsExactly("get /metrics", "get /v1/alert-rules", "get /v1/alert-rules/{ruleId}", "get /v1/health", "get /v1/metrics/{metric}",
            "get /v1/openapi.json", "patch /v1/alert-rules/{ruleId}", "post /v1/alert-rules", "post /v1/events", "put /v1/alert-rules/{ruleId}");
    }

    @Test
    void reasonCodesAreTheDlqReasons() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ApiServer.openApi());
        JsonNode reasons = doc.at("/components/schemas/IngestResult/properties/errors/items/properties/reason/enum");
        TreeSet<String> described = new TreeSet<>();
        reasons.forEach(r -> described.add(r.asText()));
        TreeSet<String> codes = new TreeSet<>();
        for (io.clickstream.tables.DlqReason r : io.clickstream.tables.DlqReason.values()) {
            codes.add(r.name());
        }
        assertThat(described).isEqualTo(codes);
    }
}
