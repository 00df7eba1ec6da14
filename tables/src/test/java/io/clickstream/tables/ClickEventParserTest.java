package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClickEventParserTest {
    /** Kafka timestamp of every test record: Monday 2026-01-05 08:00 UTC. */
    private static final long KAFKA_TS = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final ClickEventParser PARSER = new ClickEventParser(1024, 600_000);

    private static ClickEventParser.Result parse(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8), KAFKA_TS);
    }

    @Test
    void parsesV1AndV2() {
        ClickEventParser.Result v1 = parse("{\"schema_version\":1,\"event_id\":\"e1\",\"event_type\":\"click\",\"user_id\":\"u1\","
            + "\"page\":\"/p/1\",\"event_time\":" + KAFKA_TS + ",\"device\":\"ignored in v1\"}");
        assertThat(v1.reason).isNull();
        assertThat(v1.event.eventId).isEqualTo("e1");
        assertThat(v1.event.device).isNull();
        ClickEventParser.Result v2 = parse("{\"schema_version\":2,\"event_id\":\"e2\",\"event_type\":\"purchase\",\"user_id\":\"u1\","
            + "\"page\":\"/checkout/complete\",\"event_time\":" + (KAFKA_TS - 5) + ",\"device\":\"mobile\",\"referrer\":null}");
        assertThat(v2.event.device).isEqualTo("mobile");
        assertThat(v2.event.referrer).isNull();
        assertThat(v2.event.eventTime).isEqualTo(KAFKA_TS - 5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "MALFORMED_JSON|{\"event_id\": \"x\",",
        "MALFORMED_JSON|[1,2]",
        "MALFORMED_JSON|{\"a\":1} trailing",
        "MISSING_FIELD|{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"click\",\"page\":\"/\",\"event_time\":1767600000000}",
        "MISSING_FIELD|{\"schema_version\":1,\"event_id\":null,\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767600000000}",
        "WRONG_TYPE|{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":7,\"page\":\"/\",\"event_time\":1767600000000}",
        "WRONG_TYPE|{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":\"yesterday\"}",
        "WRONG_TYPE|{\"schema_version\":\"1\",\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767600000000}",
        "WRONG_TYPE|{\"schema_version\":2,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767600000000,\"device\":3}",
        "UNKNOWN_SCHEMA_VERSION|{\"schema_version\":4,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767600000000}",
        "UNKNOWN_EVENT_TYPE|{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"hover\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767600000000}",
        "FUTURE_TIMESTAMP|{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767700000000}",
        "INVALID_VALUE|{\"schema_version\":1,\"event_id\":\"\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767600000000}",
        "INVALID_VALUE|{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":5}",
    })
    void rejectsWithAClearReason(DlqReason expected, String json) {
        ClickEventParser.Result r = parse(json);
        assertThat(r.event).isNull();
        assertThat(r.reason).isEqualTo(expected);
        assertThat(r.detail).isNotBlank();
    }

    @Test
    void rejectsOversizedEmptyAndBinaryPayloadsWithoutThrowing() {
        assertThat(PARSER.parse(new byte[2048], KAFKA_TS).reason).isEqualTo(DlqReason.OVERSIZED);
        assertThat(PARSER.parse(null, KAFKA_TS).reason).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(PARSER.parse(new byte[0], KAFKA_TS).reason).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(PARSER.parse(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, KAFKA_TS).reason).isEqualTo(DlqReason.MALFORMED_JSON);
    }

    @Test
    void detailNamesTheFieldAndWhatWasFound() {
        ClickEventParser.Result r = parse("{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\","
            + "\"page\":\"/\",\"event_time\":\"yesterday\"}");
        assertThat(r.detail).contains("event_time").contains("string").contains("yesterday");
    }
}
