package io.clickstream.tables;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One alert rule: a row of {@code alerting.alert_rules} (DDL {@code ddl/postgres/alert_rules.sql}), as
 * the HTTP API takes and returns it and the alerting job evaluates it, and its validation: every problem
 * is collected and reported at once (400 with the list), so a client fixes a rule in one round trip.
 * It lives here, engine-free, because both the service (writer) and the alerting job (reader) need it.
 */
public record AlertRule(String ruleId, String name, String metric, String filterPage, String filterCountry, String filterDevice,
        String filterEventType, String condition, double threshold, Integer baselineWindows, int windowSeconds, int slideSeconds,
        int minDurationSeconds, String channel, String webhookUrl, boolean enabled, long version, Instant createdAt,
        Instant updatedAt) {

    public static final Set<String> METRICS = Set.of("page_views", "purchases", "unique_users", "events", "dlq_rate", "late_rate",
        "duplicate_rate");
    public static final Set<String> CONDITIONS = Set.of("above", "below", "zscore_above");
    public static final Set<String> CHANNELS = Set.of("kafka", "iceberg", "webhook");
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** The fields a client may send (create and replace); the others are the service's. */
    static final Set<String> CLIENT_FIELDS = Set.of("rule_id", "name", "metric", "filter_page", "filter_country", "filter_device",
        "filter_event_type", "condition", "threshold", "baseline_windows", "window_seconds", "slide_seconds",
        "min_duration_seconds", "channel", "webhook_url", "enabled");

    /** The rule is invalid: every problem found. */
    public static final class Invalid extends Exception {
        public final List<String> problems;

        Invalid(List<String> problems) {
            super(String.join("; ", problems), null, false, false);
            this.problems = List.copyOf(problems);
        }
    }

    /**
     * Reads and validates a client's rule. {@code pathId} is the id from the URL of a replace (the body
     * may omit it or must repeat it); for a create it is null and the body's {@code rule_id} is required.
     */
    public static AlertRule fromJson(JsonNode body, String pathId) throws Invalid {
        List<String> p = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new Invalid(List.of("the body must be a JSON object"));
        }
        for (Iterator<String> f = body.fieldNames(); f.hasNext(); ) {
            String name = f.next();
            if (!CLIENT_FIELDS.contains(name)) {
                p.add("unknown field '" + name + "'");
            }
        }
        String id = text(body, "rule_id", p, false);
        if (pathId != null) {
            if (id != null && !id.equals(pathId)) {
                p.add("rule_id '" + id + "' differs from the id in the path '" + pathId + "'");
            }
            id = pathId;
        } else if (id == null) {
            p.add("rule_id is required");
        }
        if (id != null && !ID.matcher(id).matches()) {
            p.add("rule_id must match " + ID.pattern());
        }
        String name = text(body, "name", p, true);
        String metric = text(body, "metric", p, true);
        if (metric != null && !METRICS.contains(metric)) {
            p.add("metric must be one of " + new java.util.TreeSet<>(METRICS));
        }
        String page = text(body, "filter_page", p, false);
        String country = text(body, "filter_country", p, false);
        String device = text(body, "filter_device", p, false);
        String eventType = text(body, "filter_event_type", p, false);
        if (eventType != null && EventType.fromWire(eventType).isEmpty()) {
            p.add("filter_event_type must be an event type: " + java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toList());
        }
        String condition = text(body, "condition", p, true);
        if (condition != null && !CONDITIONS.contains(condition)) {
            p.add("condition must be one of " + new java.util.TreeSet<>(CONDITIONS));
        }
        Double threshold = number(body, "threshold", p, true);
        Integer baseline = integer(body, "baseline_windows", p, false);
        if ("zscore_above".equals(condition) && (baseline == null || baseline < 2 || baseline > 1000)) {
            p.add("condition zscore_above needs baseline_windows between 2 and 1000");
        }
        if (condition != null && !"zscore_above".equals(condition) && baseline != null) {
            p.add("baseline_windows only applies to condition zscore_above");
        }
        Integer window = integer(body, "window_seconds", p, true);
        Integer slide = integer(body, "slide_seconds", p, true);
        if (window != null && (window < 10 || window > 86_400)) {
            p.add("window_seconds must be between 10 and 86400");
        }
        if (window != null && slide != null && (slide < 1 || slide > window || window % slide != 0)) {
            p.add("slide_seconds must be between 1 and window_seconds and divide it");
        }
        Integer minDuration = integer(body, "min_duration_seconds", p, false);
        if (minDuration != null && (minDuration < 0 || minDuration > 86_400)) {
            p.add("min_duration_seconds must be between 0 and 86400");
        }
        String channel = text(body, "channel", p, true);
        if (channel != null && !CHANNELS.contains(channel)) {
            p.add("channel must be one of " + new java.util.TreeSet<>(CHANNELS));
        }
        String url = text(body, "webhook_url", p, false);
        if ("webhook".equals(channel) && url == null) {
            p.add("channel webhook needs webhook_url");
        }
        if (url != null) {
            if (!"webhook".equals(channel)) {
                p.add("webhook_url only applies to channel webhook");
            }
            try {
                URI u = URI.create(url);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    p.add("webhook_url must be an absolute http or https URL");
                }
            } catch (IllegalArgumentException e) {
                p.add("webhook_url must be an absolute http or https URL");
            }
        }
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isNull() && !enabledNode.isBoolean()) {
            p.add("enabled must be true or false");
        }
        if (!p.isEmpty()) {
            throw new Invalid(p);
        }
        boolean enabled = enabledNode == null || enabledNode.isNull() || enabledNode.booleanValue();
        return new AlertRule(id, name, metric, page, country, device, eventType, condition, threshold, baseline, window, slide,
            minDuration == null ? 0 : minDuration, channel, url, enabled, 0, null, null);
    }

    private static String text(JsonNode body, String field, List<String> p, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                p.add(field + " is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            p.add(field + " must be a string");
            return null;
        }
        String s = n.textValue();
        if (s.isBlank()) {
            p.add(field + " must not be blank");
            return null;
        }
        if (s.length() > ClickEventSchema.MAX_PAGE_LENGTH) {
            p.add(field + " has more than " + ClickEventSchema.MAX_PAGE_LENGTH + " characters");
            return null;
        }
        return s;
    }

    private static Double number(JsonNode body, String field, List<String> p, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                p.add(field + " is required");
            }
            return null;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            p.add(field + " must be a finite number");
            return null;
        }
        return n.doubleValue();
    }

    private static Integer integer(JsonNode body, String field, List<String> p, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                p.add(field + " is required");
            }
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            p.add(field + " must be an integer");
            return null;
        }
        return n.intValue();
    }

    /** The rule as the API returns it (snake_case, every column). */
    public ObjectNode toJson() {
        ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        o.put("rule_id", ruleId).put("name", name).put("metric", metric).put("filter_page", filterPage)
            .put("filter_country", filterCountry).put("filter_device", filterDevice).put("filter_event_type", filterEventType)
            .put("condition", condition).put("threshold", threshold).put("baseline_windows", baselineWindows)
            .put("window_seconds", windowSeconds).put("slide_seconds", slideSeconds).put("min_duration_seconds", minDurationSeconds)
            .put("channel", channel).put("webhook_url", webhookUrl).put("enabled", enabled).put("version", version)
            .put("created_at", createdAt == null ? null : createdAt.toString())
            .put("updated_at", updatedAt == null ? null : updatedAt.toString());
        return o;
    }
}
