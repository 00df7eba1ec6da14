package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Each named repair fixes its mistake, leaves other records untouched, and the result passes the parser. */
class DlqRepairTest {
    private static final ClickEventParser PARSER = new ClickEventParser(32 * 1024, 600_000);
    private static final long TS = 1_767_600_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void epochSecondsBecomeMilliseconds() {
        byte[] bad = b("{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767599999}");
        assertThat(PARSER.parse(bad, TS).reason).isEqualTo(DlqReason.INVALID_VALUE);
        byte[] fixed = DlqRepair.EPOCH_SECONDS_TO_MS.apply(bad);
        assertThat(s(fixed)).isEqualTo("{\"schema_version\":1,\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767599999000}");
        assertThat(PARSER.parse(fixed, TS).event.eventTime).isEqualTo(1_767_599_999_000L);
        byte[] tooOld = b("{\"event_time\":5}");
        assertThat(DlqRepair.EPOCH_SECONDS_TO_MS.apply(tooOld)).isSameAs(tooOld);
        byte[] millis = b("{\"event_time\":1767599999000}");
        assertThat(DlqRepair.EPOCH_SECONDS_TO_MS.apply(millis)).isSameAs(millis);
    }

    @Test
    void stringSchemaVersionBecomesANumber() {
        byte[] bad = b("{\"schema_version\":\"2\",\"event_id\":\"e\",\"event_type\":\"click\",\"user_id\":\"u\",\"page\":\"/\",\"event_time\":1767600000000,\"device\":\"tv\"}");
        assertThat(PARSER.parse(bad, TS).reason).isEqualTo(DlqReason.WRONG_TYPE);
        byte[] fixed = DlqRepair.STRING_SCHEMA_VERSION.apply(bad);
        assertThat(s(fixed)).startsWith("{\"schema_version\":2,\"event_id\":\"e\"");
        assertThat(PARSER.parse(fixed, TS).event.device).isEqualTo("tv");
        byte[] word = b("{\"schema_version\":\"two\"}");
        assertThat(DlqRepair.STRING_SCHEMA_VERSION.apply(word)).isSameAs(word);
    }

    @Test
    void noneAndNonJsonAreUntouched() {
        byte[] garbage = b("not json");
        for (DlqRepair r : DlqRepair.values()) {
            assertThat(r.apply(garbage)).isSameAs(garbage);
            assertThat(r.apply(null)).isNull();
        }
        assertThat(DlqRepair.fromName("epoch-seconds-to-ms")).contains(DlqRepair.EPOCH_SECONDS_TO_MS);
        assertThat(DlqRepair.fromName("none")).contains(DlqRepair.NONE);
        assertThat(DlqRepair.fromName("guess")).isEmpty();
        assertThat(DlqRepair.names()).isEqualTo("[none, epoch-seconds-to-ms, string-schema-version]");
    }
}
