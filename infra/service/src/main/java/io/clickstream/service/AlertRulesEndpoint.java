package io.clickstream.service;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clickstream.tables.AlertRule;
import io.clickstream.tables.AlertRuleStore;
import io.javalin.http.Context;

/**
 * The alert-rule routes: {@code POST /v1/alert-rules} (create, 201; 409 if the id exists),
 * {@code GET /v1/alert-rules[?enabled=true|false]}, {@code GET /v1/alert-rules/{ruleId}},
 * {@code PUT /v1/alert-rules/{ruleId}} (replace every client field) and {@code PATCH
 * /v1/alert-rules/{ruleId}} with {@code {"enabled": false}} (soft disable, or enable again). There is
 * no DELETE: a rule's history stays, a disabled rule stops firing. Invalid rules get 400 with every
 * problem listed ({@code problems}); unknown ids 404; without a configured database 503.
 */
final class AlertRulesEndpoint {
    private final ApiKeys keys;
    private final AlertRuleStore store;

    AlertRulesEndpoint(ApiKeys keys, AlertRuleStore store) {
        this.keys = keys;
        this.store = store;
    }

    private boolean ready(Context ctx) {
        if (EventsEndpoint.authenticate(ctx, keys).isEmpty()) {
            return false;
        }
        if (store == null) {
            EventsEndpoint.error(ctx, 503, "alert_rules_unavailable", "no --alert-rules-jdbc-url is configured");
            return false;
        }
        return true;
    }

    void create(Context ctx) throws Exception {
        if (!ready(ctx)) {
            return;
        }
        Optional<AlertRule> rule = parse(ctx, null);
        if (rule.isEmpty()) {
            return;
        }
        try {
            send(ctx, 201, store.create(rule.get()).toJson());
        } catch (AlertRuleStore.Conflict e) {
            EventsEndpoint.error(ctx, 409, "conflict", e.getMessage());
        }
    }

    void replace(Context ctx) throws Exception {
        if (!ready(ctx)) {
            return;
        }
        Optional<AlertRule> rule = parse(ctx, ctx.pathParam("ruleId"));
        if (rule.isPresent()) {
            found(ctx, store.replace(rule.get()), ctx.pathParam("ruleId"));
        }
    }

    void patch(Context ctx) throws Exception {
        if (!ready(ctx)) {
            return;
        }
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        JsonNode enabled = body.get("enabled");
        if (!body.isObject() || body.size() != 1 || enabled == null || !enabled.isBoolean()) {
            EventsEndpoint.error(ctx, 400, "invalid_rule", "PATCH takes exactly {\"enabled\": true|false}; replace other fields with PUT");
            return;
        }
        found(ctx, store.setEnabled(ctx.pathParam("ruleId"), enabled.booleanValue()), ctx.pathParam("ruleId"));
    }

    void get(Context ctx) throws Exception {
        if (ready(ctx)) {
            found(ctx, store.get(ctx.pathParam("ruleId")), ctx.pathParam("ruleId"));
        }
    }

    void list(Context ctx) throws Exception {
        if (!ready(ctx)) {
            return;
        }
        String e = ctx.queryParam("enabled");
        if (e != null && !e.equals("true") && !e.equals("false")) {
            EventsEndpoint.error(ctx, 400, "bad_request", "enabled must be true or false");
            return;
        }
        List<AlertRule> rules = store.list(e == null ? null : Boolean.parseBoolean(e));
        ObjectNode out = EventsEndpoint.JSON.createObjectNode();
        ArrayNode a = out.putArray("rules");
        rules.forEach(r -> a.add(r.toJson()));
        send(ctx, 200, out);
    }

    private static JsonNode body(Context ctx) {
        try {
            byte[] b = EventsEndpoint.readAtMost(ctx.req().getInputStream(), 64 * 1024);
            if (b == null) {
                EventsEndpoint.error(ctx, 413, "body_too_large", "an alert rule has at most 65536 bytes");
                return null;
            }
            return EventsEndpoint.JSON.readTree(b);
        } catch (java.io.IOException e) {
            EventsEndpoint.error(ctx, 400, "invalid_rule", "the body is not JSON: " + e.getMessage().split("\n")[0]);
            return null;
        }
    }

    private static Optional<AlertRule> parse(Context ctx, String pathId) {
        JsonNode body = body(ctx);
        if (body == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(AlertRule.fromJson(body, pathId));
        } catch (AlertRule.Invalid e) {
            ObjectNode err = EventsEndpoint.JSON.createObjectNode().put("error", "invalid_rule").put("message", e.getMessage());
            ArrayNode p = err.putArray("problems");
            e.problems.forEach(p::add);
            send(ctx, 400, err);
            return Optional.empty();
        }
    }

    private static void found(Context ctx, Optional<AlertRule> rule, String id) {
        if (rule.isPresent()) {
            send(ctx, 200, rule.get().toJson());
        } else {
            EventsEndpoint.error(ctx, 404, "not_found", "no alert rule '" + id + "'");
        }
    }

    private static void send(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType("application/json").result(EventsEndpoint.JSON.writeValueAsBytes(body));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For the routes' exception handler: a database failure is a 503, not a 500. */
    static boolean isDatabaseFailure(Exception e) {
        return e instanceof SQLException;
    }
}
