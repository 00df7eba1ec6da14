package io.clickstream.tables;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes click events in their JSON wire form ({@link ClickEventSchema}); used by producers of events. */
public final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {}

    /** The JSON wire form of a valid event; v2 fields are written only from schema_version 2 on, v3 fields from 3 on. */
    public static byte[] encode(ClickEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ClickEventSchema.SCHEMA_VERSION, e.schemaVersion);
        m.put(ClickEventSchema.EVENT_ID, e.eventId);
        m.put(ClickEventSchema.EVENT_TYPE, e.eventType);
        m.put(ClickEventSchema.USER_ID, e.userId);
        m.put(ClickEventSchema.PAGE, e.page);
        m.put(ClickEventSchema.EVENT_TIME, e.eventTime);
        if (e.schemaVersion >= 2) {
            m.put(ClickEventSchema.REFERRER, e.referrer);
            m.put(ClickEventSchema.DEVICE, e.device);
            m.put(ClickEventSchema.COUNTRY, e.country);
        }
        if (e.schemaVersion >= 3) {
            m.put(ClickEventSchema.CAMPAIGN, e.campaign);
            m.put(ClickEventSchema.EXPERIMENT_ID, e.experimentId);
            m.put(ClickEventSchema.PROPERTIES, e.properties);
        }
        return json(m);
    }

    /** Any map as JSON bytes. */
    public static byte[] json(Map<String, Object> m) {
        try {
            return JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
