package io.clickstream.tables;

/** Why a record of {@link Topics#RAW} was sent to {@link Topics#DLQ}. Stable codes: reports group by them. */
public enum DlqReason {
    /** Payload larger than the accepted maximum; not parsed at all. */
    OVERSIZED,
    /**
     * Not valid UTF-8 JSON, or not a JSON object: empty value or tombstone, trailing garbage, a
     * duplicate key, unescaped control characters, nesting deeper than Jackson's limit (1,000).
     */
    MALFORMED_JSON,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /**
     * A field has the wrong JSON type (e.g. a string or a float where an integer belongs, a number
     * where a string belongs), or an integer outside its type's range.
     */
    WRONG_TYPE,
    /** schema_version is not one this build understands. */
    UNKNOWN_SCHEMA_VERSION,
    /** event_type is not one of {@link EventType}. */
    UNKNOWN_EVENT_TYPE,
    /** event_time lies further in the future than the allowed clock skew, relative to the Kafka timestamp. */
    FUTURE_TIMESTAMP,
    /**
     * A value is present and typed correctly but not acceptable: an empty or blank id/page, a string
     * over its length limit, a string that is not valid Unicode (an unpaired surrogate such as
     * {@code "\ud800"}: it cannot be written as UTF-8, so a key holding it would change between
     * hashing and serialisation), or an event_time before 2000.
     */
    INVALID_VALUE
}
