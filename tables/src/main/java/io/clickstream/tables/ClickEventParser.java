package io.clickstream.tables;

import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Parses and validates one raw-topic payload against {@link ClickEventSchema}. Never throws on bad
 * input: every problem becomes a {@link Result} with a {@link DlqReason} and a detail that names the
 * field and what was found.
 *
 * <p>"Future" is relative to the record's Kafka timestamp, not the wall clock, so the verdict is the
 * same on every replay.
 *
 * <p>Every string field (ids, page, the v2 fields) must be valid Unicode: a JSON escape such as
 * {@code "\ud800"} decodes to a Java string with an unpaired surrogate, which has no UTF-8 form. Such
 * a string would change when an engine serialises it (Flink's Iceberg writer hashes the Java string
 * but ships UTF-8 bytes, so the key group changes and the job fails), so the record is rejected as
 * {@link DlqReason#INVALID_VALUE} here, before any keyBy. It is rejected rather than repaired
 * (e.g. with U+FFFD) because a repair would merge distinct ids into one and change what the producer
 * sent; the DLQ keeps the original bytes. Details never contain such a string either: they are
 * escaped, since they are stored as strings too.
 */
public final class ClickEventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxPayloadBytes;
    private final long maxFutureSkewMs;
    private transient ObjectMapper mapper;

    /** Outcome of parsing: an event, or a reason and a detail. */
    public static final class Result {
        public final ClickEvent event;
        public final DlqReason reason;
        public final String detail;

        private Result(ClickEvent event, DlqReason reason, String detail) {
            this.event = event;
            this.reason = reason;
            this.detail = detail;
        }

        static Result ok(ClickEvent e) {
            return new Result(e, null, null);
        }

        static Result reject(DlqReason reason, String detail) {
            return new Result(null, reason, detail);
        }
    }

    private static final class Reject extends Exception {
        final DlqReason reason;

        Reject(DlqReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    public ClickEventParser(int maxPayloadBytes, long maxFutureSkewMs) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxFutureSkewMs = maxFutureSkewMs;
    }

    public Result parse(byte[] payload, long kafkaTimestamp) {
        Result r;
        try {
            r = parseOrThrow(payload, kafkaTimestamp);
        } catch (RuntimeException | StackOverflowError e) {
            // Not expected (Jackson reports bad input as IOException and limits nesting), but no
            // record may ever stop the job: whatever Jackson or the checks throw is a rejection.
            r = Result.reject(DlqReason.MALFORMED_JSON, abbreviate("unparseable: " + e));
        }
        return r.event != null ? r : Result.reject(r.reason, safeDetail(r.detail));
    }

    private Result parseOrThrow(byte[] payload, long kafkaTimestamp) {
        if (payload == null) {
            return Result.reject(DlqReason.MALFORMED_JSON, "no value (tombstone)");
        }
        if (payload.length == 0) {
            return Result.reject(DlqReason.MALFORMED_JSON, "empty payload");
        }
        if (payload.length > maxPayloadBytes) {
            return Result.reject(DlqReason.OVERSIZED, "payload of " + payload.length + " bytes exceeds " + maxPayloadBytes);
        }
        ClickEvent fast = streamingParse(payload, kafkaTimestamp);
        if (fast != null) {
            return Result.ok(fast);
        }
        return treeParse(payload, kafkaTimestamp);
    }

    /**
     * The reference parse: Jackson's tree model, then the checks in contract order. Decides (and words) every
     * rejection; {@link #streamingParse} only ever accepts what this accepts, with the same event.
     */
    Result treeParse(byte[] payload, long kafkaTimestamp) {
        JsonNode root;
        try {
            root = mapper().readTree(payload);
        } catch (IOException e) {
            return Result.reject(DlqReason.MALFORMED_JSON, firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return Result.reject(DlqReason.MALFORMED_JSON, "not a JSON object: " + (root == null ? "nothing" : root.getNodeType()));
        }
        try {
            return Result.ok(toEvent(root, kafkaTimestamp));
        } catch (Reject r) {
            return Result.reject(r.reason, r.getMessage());
        }
    }

    /**
     * The common case without building a tree: one pass of Jackson's streaming parser over the payload, keeping
     * only the contract's fields. Returns the event if the payload is a valid event; null as soon as anything
     * is off (malformed or trailing JSON, a duplicate key, a missing or null required field, an unexpected
     * type, a failed check), and the caller then runs {@link #treeParse}, which rejects it with the
     * contract's reason and detail (or, for an oddity the contract ignores, such as a wrong-typed v2 field on
     * a v1 event, accepts it). So what is accepted and every rejection are exactly the tree model's, and the
     * tree is built only for the rare record that is not a clean event (measured in docs/BENCHMARKS.md).
     */
    private ClickEvent streamingParse(byte[] payload, long kafkaTimestamp) {
        ClickEvent e = new ClickEvent();
        int version = -1;
        boolean hasTime = false;
        // A v2/v3 field present with a type the contract refuses: only matters if the event's version reads it.
        boolean oddV2 = false;
        boolean oddV3 = false;
        try (JsonParser p = mapper().getFactory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case ClickEventSchema.SCHEMA_VERSION:
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                            return null;
                        }
                        version = p.getIntValue();
                        break;
                    case ClickEventSchema.EVENT_ID:
                        e.eventId = stringOrNull(p, v);
                        break;
                    case ClickEventSchema.EVENT_TYPE:
                        e.eventType = stringOrNull(p, v);
                        break;
                    case ClickEventSchema.USER_ID:
                        e.userId = stringOrNull(p, v);
                        break;
                    case ClickEventSchema.PAGE:
                        e.page = stringOrNull(p, v);
                        break;
                    case ClickEventSchema.EVENT_TIME:
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return null;
                        }
                        e.eventTime = p.getLongValue();
                        hasTime = true;
                        break;
                    case ClickEventSchema.REFERRER:
                    case ClickEventSchema.DEVICE:
                    case ClickEventSchema.COUNTRY:
                    case ClickEventSchema.CAMPAIGN:
                    case ClickEventSchema.EXPERIMENT_ID:
                        if (v != JsonToken.VALUE_NULL && v != JsonToken.VALUE_STRING) {
                            boolean v2 = ClickEventSchema.V2_FIELDS.contains(name);
                            oddV2 |= v2;
                            oddV3 |= !v2;
                            p.skipChildren();
                        } else {
                            setOptional(e, name, v == JsonToken.VALUE_NULL ? null : p.getText());
                        }
                        break;
                    case ClickEventSchema.PROPERTIES:
                        if (v == JsonToken.START_OBJECT) {
                            Map<String, String> m = new LinkedHashMap<>();
                            for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                                String key = p.currentName();
                                if (p.nextToken() != JsonToken.VALUE_STRING) {
                                    oddV3 = true;
                                    p.skipChildren();
                                } else {
                                    m.put(key, p.getText());
                                }
                            }
                            e.properties = m;
                        } else if (v != JsonToken.VALUE_NULL) {
                            oddV3 = true;
                            p.skipChildren();
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                return null;
            }
        } catch (IOException | RuntimeException ex) {
            return null;
        }
        if (!ClickEventSchema.SUPPORTED_VERSIONS.contains(version) || !hasTime
                || !validRequired(ClickEventSchema.EVENT_ID, e.eventId, ClickEventSchema.MAX_ID_LENGTH)
                || !validRequired(ClickEventSchema.EVENT_TYPE, e.eventType, ClickEventSchema.MAX_ID_LENGTH)
                || !validRequired(ClickEventSchema.USER_ID, e.userId, ClickEventSchema.MAX_ID_LENGTH)
                || !validRequired(ClickEventSchema.PAGE, e.page, ClickEventSchema.MAX_PAGE_LENGTH)
                || EventType.fromWire(e.eventType).isEmpty() || e.eventTime < ClickEventSchema.MIN_EVENT_TIME_MS
                || e.eventTime >= ClickEventSchema.MAX_EVENT_TIME_MS || e.eventTime - kafkaTimestamp > maxFutureSkewMs) {
            return null;
        }
        e.schemaVersion = version;
        if (version < 2) {
            e.referrer = e.device = e.country = null;
        } else if (oddV2 || !validOptional(e.referrer, ClickEventSchema.REFERRER) || !validOptional(e.device, ClickEventSchema.DEVICE)
                || !validOptional(e.country, ClickEventSchema.COUNTRY)) {
            return null;
        }
        if (version < 3) {
            e.campaign = e.experimentId = null;
            e.properties = null;
        } else if (oddV3 || !validOptional(e.campaign, ClickEventSchema.CAMPAIGN)
                || !validOptional(e.experimentId, ClickEventSchema.EXPERIMENT_ID) || !validProperties(e.properties)) {
            return null;
        }
        return e;
    }

    private static String stringOrNull(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? p.getText() : skipped(p);
    }

    /** Skips a non-string value (a required field of the wrong type: the tree parse words the rejection). */
    private static String skipped(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    private static void setOptional(ClickEvent e, String field, String value) {
        switch (field) {
            case ClickEventSchema.REFERRER -> e.referrer = value;
            case ClickEventSchema.DEVICE -> e.device = value;
            case ClickEventSchema.COUNTRY -> e.country = value;
            case ClickEventSchema.CAMPAIGN -> e.campaign = value;
            case ClickEventSchema.EXPERIMENT_ID -> e.experimentId = value;
            default -> throw new IllegalArgumentException(field);
        }
    }

    /** A required string passes {@link #checkRequiredText} (the rejection's wording is left to the tree parse). */
    private static boolean validRequired(String field, String s, int maxLength) {
        try {
            return s != null && checkRequiredText(field, s, maxLength) != null;
        } catch (Reject r) {
            return false;
        }
    }

    private static boolean validOptional(String s, String field) {
        try {
            return s == null || checkOptionalText(field, s) != null;
        } catch (Reject r) {
            return false;
        }
    }

    private static boolean validProperties(Map<String, String> m) {
        if (m == null) {
            return true;
        }
        if (m.size() > ClickEventSchema.MAX_PROPERTIES) {
            return false;
        }
        for (Map.Entry<String, String> en : m.entrySet()) {
            String k = en.getKey();
            String v = en.getValue();
            if (unpairedSurrogate(k) >= 0 || k.isBlank() || k.length() > ClickEventSchema.MAX_ID_LENGTH
                    || v.length() > ClickEventSchema.MAX_PAGE_LENGTH || unpairedSurrogate(v) >= 0) {
                return false;
            }
        }
        return true;
    }

    private ClickEvent toEvent(JsonNode root, long kafkaTimestamp) throws Reject {
        JsonNode version = required(root, ClickEventSchema.SCHEMA_VERSION);
        if (!version.isIntegralNumber() || !version.canConvertToInt()) {
            // canConvertToInt: 4294967297 must not wrap around to version 1.
            throw wrongType(ClickEventSchema.SCHEMA_VERSION, "integer (32-bit)", version);
        }
        if (!ClickEventSchema.SUPPORTED_VERSIONS.contains(version.asInt())) {
            throw new Reject(DlqReason.UNKNOWN_SCHEMA_VERSION, "schema_version " + version.asText() + " not in "
                + ClickEventSchema.SUPPORTED_VERSIONS);
        }
        ClickEvent e = new ClickEvent();
        e.schemaVersion = version.asInt();
        e.eventId = requiredString(root, ClickEventSchema.EVENT_ID, ClickEventSchema.MAX_ID_LENGTH);
        e.eventType = requiredString(root, ClickEventSchema.EVENT_TYPE, ClickEventSchema.MAX_ID_LENGTH);
        e.userId = requiredString(root, ClickEventSchema.USER_ID, ClickEventSchema.MAX_ID_LENGTH);
        e.page = requiredString(root, ClickEventSchema.PAGE, ClickEventSchema.MAX_PAGE_LENGTH);
        JsonNode time = required(root, ClickEventSchema.EVENT_TIME);
        if (!time.isIntegralNumber() || !time.canConvertToLong()) {
            throw wrongType(ClickEventSchema.EVENT_TIME, "integer epoch milliseconds (64-bit)", time);
        }
        e.eventTime = time.asLong();
        if (EventType.fromWire(e.eventType).isEmpty()) {
            throw new Reject(DlqReason.UNKNOWN_EVENT_TYPE, "event_type '" + e.eventType + "' is not one of "
                + java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toList());
        }
        if (e.eventTime < ClickEventSchema.MIN_EVENT_TIME_MS) {
            throw new Reject(DlqReason.INVALID_VALUE, "event_time " + e.eventTime + " is before 2000-01-01");
        }
        if (e.eventTime >= ClickEventSchema.MAX_EVENT_TIME_MS) {
            throw new Reject(DlqReason.INVALID_VALUE, "event_time " + e.eventTime + " is not before 2100-01-01");
        }
        // A difference, not kafkaTimestamp + skew: that sum overflows for a Kafka timestamp near Long.MAX_VALUE.
        if (e.eventTime - kafkaTimestamp > maxFutureSkewMs) {
            throw new Reject(DlqReason.FUTURE_TIMESTAMP, "event_time " + e.eventTime + " is "
                + (e.eventTime - kafkaTimestamp) + " ms after the Kafka timestamp " + kafkaTimestamp
                + " (allowed skew " + maxFutureSkewMs + " ms)");
        }
        // Fields of a later version on an earlier-version event are ignored, as unknown fields are: the
        // event is read by the contract it names (docs/TABLES.md, "Schema versions").
        if (e.schemaVersion >= 2) {
            e.referrer = optionalString(root, ClickEventSchema.REFERRER);
            e.device = optionalString(root, ClickEventSchema.DEVICE);
            e.country = optionalString(root, ClickEventSchema.COUNTRY);
        }
        if (e.schemaVersion >= 3) {
            e.campaign = optionalString(root, ClickEventSchema.CAMPAIGN);
            e.experimentId = optionalString(root, ClickEventSchema.EXPERIMENT_ID);
            e.properties = optionalStringMap(root, ClickEventSchema.PROPERTIES);
        }
        return e;
    }

    private static JsonNode required(JsonNode root, String field) throws Reject {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new Reject(DlqReason.MISSING_FIELD, "required field '" + field + "' is missing or null");
        }
        return n;
    }

    private static String requiredString(JsonNode root, String field, int maxLength) throws Reject {
        JsonNode n = required(root, field);
        if (!n.isTextual()) {
            throw wrongType(field, "string", n);
        }
        return checkRequiredText(field, n.textValue(), maxLength);
    }

    /** The checks of a required string's text (both parses): not blank, at most {@code maxLength}, valid Unicode. */
    private static String checkRequiredText(String field, String s, int maxLength) throws Reject {
        if (s.isBlank()) {
            throw new Reject(DlqReason.INVALID_VALUE, "field '" + field + "' is empty");
        }
        if (s.length() > maxLength) {
            throw new Reject(DlqReason.INVALID_VALUE, "field '" + field + "' has " + s.length() + " characters, max " + maxLength);
        }
        requireValidUnicode(field, s);
        return s;
    }

    /** Rejects a string with an unpaired surrogate: it has no UTF-8 form (see the class comment). */
    private static void requireValidUnicode(String field, String s) throws Reject {
        int at = unpairedSurrogate(s);
        if (at >= 0) {
            throw new Reject(DlqReason.INVALID_VALUE, "field '" + field + "' is not valid Unicode: unpaired surrogate "
                + String.format("\\u%04x", (int) s.charAt(at)) + " at index " + at + " (no UTF-8 form)");
        }
    }

    /** Index of the first unpaired surrogate of {@code s}, or -1 if it is valid UTF-16 (and so has a UTF-8 form). */
    public static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** A detail that survives UTF-8: unpaired surrogates (e.g. from a rejected field's value) escaped as text. */
    static String safeDetail(String detail) {
        if (detail == null || unpairedSurrogate(detail) < 0) {
            return detail;
        }
        StringBuilder b = new StringBuilder(detail.length() + 16);
        for (int i = 0; i < detail.length(); i++) {
            char c = detail.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < detail.length() && Character.isLowSurrogate(detail.charAt(i + 1))
                : !Character.isLowSurrogate(c) || (i > 0 && Character.isHighSurrogate(detail.charAt(i - 1)));
            if (Character.isSurrogate(c) && !paired) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String optionalString(JsonNode root, String field) throws Reject {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(field, "string or null", n);
        }
        return checkOptionalText(field, n.textValue());
    }

    /** The checks of an optional string's text (both parses): at most the field's maximum length, valid Unicode. */
    private static String checkOptionalText(String field, String s) throws Reject {
        int max = ClickEventSchema.maxLength(field);
        if (s.length() > max) {
            throw new Reject(DlqReason.INVALID_VALUE, "field '" + field + "' has " + s.length() + " characters, max " + max);
        }
        requireValidUnicode(field, s);
        return s;
    }

    /**
     * A v3 map of strings: an object whose values are strings, or null. Keys are non-blank, at most
     * {@link ClickEventSchema#MAX_ID_LENGTH} characters; values at most {@link ClickEventSchema#MAX_PAGE_LENGTH};
     * at most {@link ClickEventSchema#MAX_PROPERTIES} entries; all valid Unicode. Producer order is kept.
     */
    private static Map<String, String> optionalStringMap(JsonNode root, String field) throws Reject {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw wrongType(field, "object of strings or null", n);
        }
        if (n.size() > ClickEventSchema.MAX_PROPERTIES) {
            throw new Reject(DlqReason.INVALID_VALUE, "field '" + field + "' has " + n.size() + " entries, max "
                + ClickEventSchema.MAX_PROPERTIES);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String where = field + "." + key;
            requireValidUnicode(field + " key", key);
            if (key.isBlank()) {
                throw new Reject(DlqReason.INVALID_VALUE, "field '" + field + "' has an empty key");
            }
            if (key.length() > ClickEventSchema.MAX_ID_LENGTH) {
                throw new Reject(DlqReason.INVALID_VALUE, "field '" + field + "' has a key of " + key.length()
                    + " characters, max " + ClickEventSchema.MAX_ID_LENGTH);
            }
            if (!e.getValue().isTextual()) {
                throw wrongType(where, "string", e.getValue());
            }
            String value = e.getValue().textValue();
            if (value.length() > ClickEventSchema.MAX_PAGE_LENGTH) {
                throw new Reject(DlqReason.INVALID_VALUE, "field '" + where + "' has " + value.length() + " characters, max "
                    + ClickEventSchema.MAX_PAGE_LENGTH);
            }
            requireValidUnicode(where, value);
            out.put(key, value);
        }
        return out;
    }

    private static Reject wrongType(String field, String expected, JsonNode found) {
        return new Reject(DlqReason.WRONG_TYPE, "field '" + field + "' must be " + expected + ", found "
            + found.getNodeType().name().toLowerCase() + " " + abbreviate(found.toString()));
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
        return mapper;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparseable JSON";
        }
        int nl = s.indexOf('\n');
        return abbreviate(nl < 0 ? s : s.substring(0, nl));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
