package io.clickstream.tables;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Named repairs of a record parked in {@link Topics#DLQ}, applied by the DLQ replay command before it
 * re-validates the record with today's {@link ClickEventParser} and re-produces it to {@link Topics#RAW}.
 * Each repair fixes one known producer mistake and leaves every other record byte for byte as it was (a
 * repair that does not apply changes nothing, and the re-validation then gives the same verdict as before,
 * so the record stays in the DLQ). Engine-free, so it is unit-tested here and used by any runner.
 */
public enum DlqRepair {
    /** No change: re-validate with today's rules (e.g. after a schema version was rolled out). */
    NONE("none"),
    /**
     * {@code event_time} sent in epoch seconds: an integer that is a time between 2000 and 2100 only
     * when read as seconds becomes that value times 1,000 (rejected before as {@code INVALID_VALUE},
     * "before 2000-01-01").
     */
    EPOCH_SECONDS_TO_MS("epoch-seconds-to-ms"),
    /** {@code schema_version} sent as a JSON string holding an integer ({@code "2"}) becomes that number ({@code WRONG_TYPE} before). */
    STRING_SCHEMA_VERSION("string-schema-version");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String wireName;

    DlqRepair(String wireName) {
        this.wireName = wireName;
    }

    /** The name operators give ({@code --replay.repair}). */
    public String wireName() {
        return wireName;
    }

    /** The repair named {@code name}, if any. */
    public static Optional<DlqRepair> fromName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
    }

    /** Every name, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(DlqRepair::wireName).toList().toString();
    }

    /** The repaired value, or {@code value} itself when the repair does not apply (or the value is no JSON object). */
    public byte[] apply(byte[] value) {
        if (this == NONE || value == null) {
            return value;
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            return value;
        }
        if (!(root instanceof ObjectNode)) {
            return value;
        }
        ObjectNode o = (ObjectNode) root;
        boolean changed = switch (this) {
            case EPOCH_SECONDS_TO_MS -> secondsToMillis(o);
            case STRING_SCHEMA_VERSION -> stringVersionToNumber(o);
            default -> false;
        };
        if (!changed) {
            return value;
        }
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            return value;
        }
    }

    private static boolean secondsToMillis(ObjectNode o) {
        JsonNode t = o.get(ClickEventSchema.EVENT_TIME);
        if (t == null || !t.isIntegralNumber() || !t.canConvertToLong()) {
            return false;
        }
        long seconds = t.asLong();
        if (seconds < ClickEventSchema.MIN_EVENT_TIME_MS / 1000 || seconds >= ClickEventSchema.MAX_EVENT_TIME_MS / 1000) {
            return false;
        }
        o.put(ClickEventSchema.EVENT_TIME, seconds * 1000);
        return true;
    }

    private static boolean stringVersionToNumber(ObjectNode o) {
        JsonNode v = o.get(ClickEventSchema.SCHEMA_VERSION);
        if (v == null || !v.isTextual() || !v.textValue().matches("[0-9]{1,9}")) {
            return false;
        }
        o.put(ClickEventSchema.SCHEMA_VERSION, Integer.parseInt(v.textValue()));
        return true;
    }
}
