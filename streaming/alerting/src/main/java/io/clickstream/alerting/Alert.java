package io.clickstream.alerting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One alert transition of a rule: {@code firing} (the condition held for the rule's minimum duration) or
 * {@code resolved} (it was false for as long). Its id is a function of rule, rule version, window end and
 * transition only, so a replay after a restore produces the same id: the Kafka topic (exactly once), the
 * Iceberg table (upsert on the id) and webhook receivers ({@code Idempotency-Key}) all see one alert.
 */
public class Alert {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
    private static final ObjectMapper JSON = new ObjectMapper();

    public String alertId;
    public String ruleId;
    public long ruleVersion;
    public String ruleName;
    public String metric;
    public String condition;
    public double threshold;
    public String state;
    public long windowStart;
    public long windowEnd;
    public double value;
    /** z-score of the value (zscore_above rules); NaN otherwise. */
    public double score = Double.NaN;
    public String evidence;
    /** Processing time of the transition (epoch ms). */
    public long emittedAt;
    /** Kafka timestamp of the record that completed the breach (early firing) or of the latest record in the window. */
    public long breachArrival;
    public String channel;
    public String webhookUrl;

    public Alert() {}

    /** Deterministic id: the first 128 bits of SHA-256 over rule id, version, window end and state, in hex. */
    public static String id(String ruleId, long ruleVersion, long windowEnd, String state) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((ruleId + "\n" + ruleVersion + "\n" + windowEnd + "\n" + state)
                .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The alert as JSON (the value on clicks.alerts and the webhook body); times in epoch ms. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("alert_id", alertId).put("rule_id", ruleId).put("rule_version", ruleVersion).put("rule_name", ruleName)
            .put("metric", metric).put("condition", condition).put("threshold", threshold).put("state", state)
            .put("window_start", windowStart).put("window_end", windowEnd).put("value", value);
        if (Double.isNaN(score)) {
            o.putNull("score");
        } else {
            o.put("score", score);
        }
        o.put("evidence", evidence).put("emitted_at", emittedAt).put("breach_arrival", breachArrival);
        return o.toString();
    }

    @Override
    public String toString() {
        return "Alert{" + ruleId + " v" + ruleVersion + " " + state + " [" + windowStart + "," + windowEnd + ") value " + value + "}";
    }
}
