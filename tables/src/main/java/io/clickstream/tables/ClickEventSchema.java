package io.clickstream.tables;

import java.util.Set;

/**
 * The wire schema of a click event on {@link Topics#RAW}: a JSON object.
 *
 * <p>Version 1 fields are required. Version 2 adds optional fields only, so a v1 reader can ignore
 * them and a v2 reader accepts v1 events. Any other {@code schema_version} goes to the DLQ with
 * {@link DlqReason#UNKNOWN_SCHEMA_VERSION}.
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

    public static final Set<Integer> SUPPORTED_VERSIONS = Set.of(1, 2);
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
}
