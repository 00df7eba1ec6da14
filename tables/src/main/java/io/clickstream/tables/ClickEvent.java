package io.clickstream.tables;

import java.util.Map;
import java.util.Objects;

/**
 * A valid click event: the parsed form of {@link ClickEventSchema}. A plain Java value (public
 * fields, no-arg constructor) so that every engine can treat it as a POJO without reflection tricks.
 */
public class ClickEvent {
    public String eventId;
    public int schemaVersion;
    public String eventType;
    public String userId;
    public String page;
    public long eventTime;
    /** v2, optional. */
    public String referrer;
    /** v2, optional. */
    public String device;
    /** v2, optional. */
    public String country;
    /** v3, optional: marketing campaign. */
    public String campaign;
    /** v3, optional: A/B experiment (and arm). */
    public String experimentId;
    /** v3, optional: schemaless string properties; null when absent. */
    public Map<String, String> properties;

    public ClickEvent() {}

    public ClickEvent(String eventId, int schemaVersion, String eventType, String userId, String page, long eventTime) {
        this.eventId = eventId;
        this.schemaVersion = schemaVersion;
        this.eventType = eventType;
        this.userId = userId;
        this.page = page;
        this.eventTime = eventTime;
    }

    public EventType type() {
        return EventType.fromWire(eventType).orElseThrow();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClickEvent)) {
            return false;
        }
        ClickEvent e = (ClickEvent) o;
        return schemaVersion == e.schemaVersion && eventTime == e.eventTime && Objects.equals(eventId, e.eventId)
                && Objects.equals(eventType, e.eventType) && Objects.equals(userId, e.userId)
                && Objects.equals(page, e.page) && Objects.equals(referrer, e.referrer)
                && Objects.equals(device, e.device) && Objects.equals(country, e.country)
                && Objects.equals(campaign, e.campaign) && Objects.equals(experimentId, e.experimentId)
                && Objects.equals(properties, e.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventTime);
    }

    @Override
    public String toString() {
        return "ClickEvent{" + eventId + ", v" + schemaVersion + ", " + eventType + ", " + userId + ", " + page + ", "
                + eventTime + "}";
    }
}
