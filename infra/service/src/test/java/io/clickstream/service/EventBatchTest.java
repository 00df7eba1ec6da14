package io.clickstream.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.clickstream.tables.ClickEventParser;
import io.clickstream.tables.DlqReason;
import org.junit.jupiter.api.Test;

/**
 * Splitting a body into the exact bytes of each element, and the verdict of each: the stream job's
 * parser, so every DLQ reason comes out with the index of its element.
 */
class EventBatchTest {
    static final long NOW = Instant.parse("2026-12-03T12:00:00Z").toEpochMilli();
    static final ClickEventParser PARSER = new ClickEventParser(1024, 600_000);

    static String event(String id, long time) {
        return "{\"schema_version\":1,\"event_id\":\"" + id + "\",\"event_type\":\"page_view\",\"user_id\":\"u-1\","
            + "\"page\":\"/p/1\",\"event_time\":" + time + "}";
    }

    /** One element per DLQ reason (and a valid one first), in DlqReason order after the valid event. */
    static final List<String> EVERY_REASON = List.of(
        event("ok-1", NOW),
        "{\"schema_version\":1,\"pad\":\"" + "x".repeat(1100) + "\"}",
        "\"not an object\"",
        "{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/p\"}",
        "{\"schema_version\":\"1\",\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/p\",\"event_time\":1}",
        "{\"schema_version\":4,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/p\",\"event_time\":1}",
        "{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"hover\",\"user_id\":\"u\",\"page\":\"/p\",\"event_time\":" + NOW + "}",
        event("future", NOW + 600_001),
        event("", NOW));

    static byte[] body(List<String> elements) {
        return ("[" + String.join(",", elements) + "]").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyDlqReasonWithItsIndex() throws Exception {
        EventBatch b = EventBatch.judge(EventBatch.split(body(EVERY_REASON), 100), PARSER, NOW);
        assertThat(b.valid()).extracting(EventBatch.Item::index).containsExactly(0);
        assertThat(b.rejected()).extracting(EventBatch.Item::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(b.rejected()).extracting(EventBatch.Item::reason).containsExactly(DlqReason.values());
        assertThat(b.rejected().get(6).detail()).isEqualTo("event_time " + (NOW + 600_001) + " is 600001 ms after the Kafka "
            + "timestamp " + NOW + " (allowed skew 600000 ms)");
        assertThat(b.rejected().get(2).detail()).isEqualTo("required field 'event_time' is missing or null");
    }

    @Test
    void elementsAreTheBytesAsSent() throws Exception {
        String spaced = "{ \"schema_version\" : 1 , \"event_id\":\"e-\\u00e9\",\"event_type\":\"click\",\"user_id\":\"u\","
            + "\"page\":\"/p\",\"event_time\":" + NOW + " }";
        byte[] body = (" \n[ " + spaced + " ,\t12 , -3.5e2,\"s\\\"]\" ,null,true,[1,[2]],{\"a\":{}} ]\n ").getBytes(StandardCharsets.UTF_8);
        List<byte[]> e = EventBatch.split(body, 100);
        assertThat(e).extracting(b -> new String(b, StandardCharsets.UTF_8))
            .containsExactly(spaced, "12", "-3.5e2", "\"s\\\"]\"", "null", "true", "[1,[2]]", "{\"a\":{}}");
    }

    @Test
    void aDuplicateKeyInsideAnElementIsThatElementsVerdict() throws Exception {
        String dup = event("d", NOW).replace("}", ",\"page\":\"/p/2\"}");
        EventBatch b = EventBatch.judge(EventBatch.split(body(List.of(dup, event("ok", NOW))), 10), PARSER, NOW);
        assertThat(b.rejected()).extracting(EventBatch.Item::reason).containsExactly(DlqReason.MALFORMED_JSON);
        assertThat(b.valid()).extracting(i -> i.event().eventId).containsExactly("ok");
    }

    @Test
    void bodiesThatAreNotAnArrayAreRefusedAsAWhole() {
        assertThatThrownBy(() -> EventBatch.split("{}".getBytes(), 10)).isInstanceOf(EventBatch.BadBatch.class)
            .hasMessage("the body must be a JSON array of events, found an object");
        assertThatThrownBy(() -> EventBatch.split(new byte[0], 10)).isInstanceOf(EventBatch.BadBatch.class)
            .hasMessage("the body must be a JSON array of events, found nothing");
        assertThatThrownBy(() -> EventBatch.split("[{}".getBytes(), 10)).isInstanceOf(EventBatch.BadBatch.class)
            .hasMessageStartingWith("the body is not a well-formed JSON array: ");
        assertThatThrownBy(() -> EventBatch.split("[{}] x".getBytes(), 10)).isInstanceOf(EventBatch.BadBatch.class)
            .hasMessageStartingWith("the body is not a well-formed JSON array: ");
        assertThatThrownBy(() -> EventBatch.split("[{}][]".getBytes(), 10)).isInstanceOf(EventBatch.BadBatch.class)
            .hasMessage("unexpected an array after the JSON array");
        assertThatThrownBy(() -> EventBatch.split("[{\"a\":NaN}]".getBytes(), 10)).isInstanceOf(EventBatch.BadBatch.class);
    }

    @Test
    void moreThanTheMaximumIsTooMany() throws Exception {
        assertThat(EventBatch.split(body(List.of("1", "2", "3")), 3)).hasSize(3);
        assertThat(EventBatch.split("[]".getBytes(), 3)).isEmpty();
        assertThatThrownBy(() -> EventBatch.split(body(List.of("1", "2", "3", "4")), 3))
            .isInstanceOf(EventBatch.TooManyEvents.class).hasMessage("a batch holds at most 3 events");
    }
}
