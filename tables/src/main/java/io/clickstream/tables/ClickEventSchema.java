package io.clickstream.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The wire schema of a click event on {@link Topics#RAW}: a JSON object.
 *
 * <p>The contract of each version is a JSON Schema file ({@link EventSchemas}); this class holds the
 * names and limits the parser uses, and {@code SchemaContractTest} keeps both equal. Version 1 fields
 * are required. Versions 2 and 3 add optional fields only, so an older reader can ignore them and a
 * newer reader accepts older events (checked in the build by {@link SchemaCompatibility}). Any other
 * {@code schema_version} goes to the DLQ with {@link DlqReason#UNKNOWN_SCHEMA_VERSION} until a build
 * that knows it is rolled out (docs/TABLES.md, "Schema versions").
 *
 * <pre>
 * { "schema_version": 1,            // integer, required
 *   "event_id": "e-...",            // string, required, unique per event; re-sends reuse it
 *   "event_type": "page_view",      // string, one of EventType, required
 *   "user_id": "u-42",              // string, required; also the Kafka key
 *   "page": "/product/17",          // string, required
 *   "event_time": 1767225600000,    // integer epoch milliseconds (UTC), required
 *   // v2 only, optional:
 *   "referrer": "https://...",      // string or null
 *   "device": "mobile",             // string or null
 *   "country": "DE" }               // string or null
 * </pre>
 */
public final class ClickEventSchema {
    public static final String SCHEMA_VERSION = "schema_version";
    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String USER_ID = "user_id";
    public static final String PAGE = "page";
    public static final String EVENT_TIME = "event_time";
    public static final String REFERRER = "referrer";
    public static final String DEVICE = "device";
    public static final String COUNTRY = "country";
    public static final String CAMPAIGN = "campaign";
    public static final String EXPERIMENT_ID = "experiment_id";
    public static final String PROPERTIES = "properties";

    /** Fields of v1, all required. */
    public static final List<String> V1_FIELDS = List.of(SCHEMA_VERSION, EVENT_ID, EVENT_TYPE, USER_ID, PAGE, EVENT_TIME);
    /** Fields v2 adds, all optional. */
    public static final List<String> V2_FIELDS = List.of(REFERRER, DEVICE, COUNTRY);
    /** Fields v3 adds, all optional. */
    public static final List<String> V3_FIELDS = List.of(CAMPAIGN, EXPERIMENT_ID, PROPERTIES);

    public static final Set<Integer> SUPPORTED_VERSIONS = Set.of(1, 2, 3);
    /** The newest version this build reads (and producers may send once it is rolled out). */
    public static final int LATEST_VERSION = 3;
    /** Most entries a v3 {@code properties} object may have. */
    public static final int MAX_PROPERTIES = 64;
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_PAGE_LENGTH = 1024;
    /** 2000-01-01T00:00:00Z: anything earlier is a broken client clock, not history. */
    public static final long MIN_EVENT_TIME_MS = 946_684_800_000L;
    /**
     * 2100-01-01T00:00:00Z (exclusive): a later event_time can only come with an equally absurd Kafka
     * timestamp, and near {@code Long.MAX_VALUE} window and session arithmetic (end = start + size)
     * would overflow.
     */
    public static final long MAX_EVENT_TIME_MS = 4_102_444_800_000L;

    private ClickEventSchema() {}

    /** Every field an event of {@code version} may carry, in contract order. */
    public static List<String> fieldsOf(int version) {
        List<String> out = new ArrayList<>(V1_FIELDS);
        if (version >= 2) {
            out.addAll(V2_FIELDS);
        }
        if (version >= 3) {
            out.addAll(V3_FIELDS);
        }
        return out;
    }

    /**
     * The longest value (UTF-16 code units) the parser accepts in a string field, -1 for a field that
     * is no string; for {@link #PROPERTIES}, the longest value of an entry (keys: {@link #MAX_ID_LENGTH}).
     */
    public static int maxLength(String field) {
        switch (field) {
            case EVENT_ID: case EVENT_TYPE: case USER_ID: case EXPERIMENT_ID:
                return MAX_ID_LENGTH;
            case PAGE: case REFERRER: case DEVICE: case COUNTRY: case CAMPAIGN: case PROPERTIES:
                return MAX_PAGE_LENGTH;
            default:
                return -1;
        }
    }
}
