package io.clickstream.tables;

/** Why a record of {@link Topics#RAW} was sent to {@link Topics#DLQ}. Stable codes: reports group by them. */
public enum DlqReason {
    /** Payload larger than the accepted maximum; not parsed at all. */
    OVERSIZED,
    /** Not valid UTF-8 JSON, or not a JSON object. */
    MALFORMED_JSON,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (e.g. a string where a number belongs). */
    WRONG_TYPE,
    /** schema_version is not one this build understands. */
    UNKNOWN_SCHEMA_VERSION,
    /** event_type is not one of {@link EventType}. */
    UNKNOWN_EVENT_TYPE,
    /** event_time lies further in the future than the allowed clock skew, relative to the Kafka timestamp. */
    FUTURE_TIMESTAMP,
    /** A value is present and typed correctly but out of range (empty id, over-long string, time before 2000). */
    INVALID_VALUE
}
