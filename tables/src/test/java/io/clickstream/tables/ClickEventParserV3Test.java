package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** schema_version 3: the optional campaign, experiment_id and properties; unknown versions still rejected. */
class ClickEventParserV3Test {
    private static final long KAFKA_TS = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final ClickEventParser PARSER = new ClickEventParser(32 * 1024, 600_000);
    private static final String HEAD = "{\"schema_version\":3,\"event_id\":\"e3\",\"event_type\":\"page_view\",\"user_id\":\"u1\","
        + "\"page\":\"/p/1\",\"event_time\":" + KAFKA_TS;

    private static ClickEventParser.Result parse(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8), KAFKA_TS);
    }

    @Test
    void parsesEveryV3Field() {
        ClickEventParser.Result r = parse(HEAD + ",\"country\":\"DE\",\"campaign\":\"spring-sale\",\"experiment_id\":\"exp-7:b\","
            + "\"properties\":{\"color\":\"red\",\"size\":\"\",\"emoji\":\"\\ud83d\\ude00\"}}");
        assertThat(r.reason).isNull();
        ClickEvent expected = new ClickEvent("e3", 3, "page_view", "u1", "/p/1", KAFKA_TS);
        expected.country = "DE";
        expected.campaign = "spring-sale";
        expected.experimentId = "exp-7:b";
        expected.properties = new LinkedHashMap<>();
        expected.properties.put("color", "red");
        expected.properties.put("size", "");
        expected.properties.put("emoji", "\uD83D\uDE00");
        assertThat(r.event).isEqualTo(expected);
        assertThat(r.event.properties.keySet()).as("producer order kept").containsExactly("color", "size", "emoji");
    }

    @Test
    void v3FieldsAreOptionalAndNullable() {
        ClickEventParser.Result absent = parse(HEAD + "}");
        assertThat(absent.event).isEqualTo(new ClickEvent("e3", 3, "page_view", "u1", "/p/1", KAFKA_TS));
        ClickEventParser.Result nulls = parse(HEAD + ",\"campaign\":null,\"experiment_id\":null,\"properties\":null}");
        assertThat(nulls.event).isEqualTo(new ClickEvent("e3", 3, "page_view", "u1", "/p/1", KAFKA_TS));
        ClickEventParser.Result empty = parse(HEAD + ",\"properties\":{}}");
        assertThat(empty.event.properties).isEqualTo(Map.of());
    }

    @Test
    void v3FieldsOnAnOlderVersionAreIgnoredAsUnknownFields() {
        ClickEventParser.Result r = parse(HEAD.replace("\"schema_version\":3", "\"schema_version\":2")
            + ",\"campaign\":\"c\",\"properties\":{\"k\":7}}");
        assertThat(r.reason).isNull();
        assertThat(r.event).isEqualTo(new ClickEvent("e3", 2, "page_view", "u1", "/p/1", KAFKA_TS));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "WRONG_TYPE|,\"campaign\":7|field 'campaign' must be string or null, found number 7",
        "WRONG_TYPE|,\"properties\":[\"a\"]|field 'properties' must be object of strings or null, found array [\"a\"]",
        "WRONG_TYPE|,\"properties\":\"a=b\"|field 'properties' must be object of strings or null, found string \"a=b\"",
        "WRONG_TYPE|,\"properties\":{\"n\":1}|field 'properties.n' must be string, found number 1",
        "WRONG_TYPE|,\"properties\":{\"n\":null}|field 'properties.n' must be string, found null null",
        "WRONG_TYPE|,\"properties\":{\"n\":{\"x\":\"y\"}}|field 'properties.n' must be string, found object {\"x\":\"y\"}",
        "INVALID_VALUE|,\"properties\":{\" \":\"v\"}|field 'properties' has an empty key",
        "INVALID_VALUE|,\"properties\":{\"k\":\"\\ud800\"}|field 'properties.k' is not valid Unicode: unpaired surrogate \\ud800 at index 0 (no UTF-8 form)",
        "MALFORMED_JSON|,\"properties\":{\"k\":\"a\",\"k\":\"b\"}|Duplicate field 'k'",
    })
    void rejectsBadV3Fields(DlqReason reason, String extra, String detail) {
        ClickEventParser.Result r = parse(HEAD + extra + "}");
        assertThat(r.event).isNull();
        assertThat(r.reason).isEqualTo(reason);
        assertThat(r.detail).startsWith(detail);
    }

    @Test
    void limitsOfV3Fields() {
        assertThat(parse(HEAD + ",\"experiment_id\":\"" + "x".repeat(129) + "\"}").detail)
            .isEqualTo("field 'experiment_id' has 129 characters, max 128");
        assertThat(parse(HEAD + ",\"campaign\":\"" + "x".repeat(1025) + "\"}").detail)
            .isEqualTo("field 'campaign' has 1025 characters, max 1024");
        assertThat(parse(HEAD + ",\"properties\":{\"" + "k".repeat(129) + "\":\"v\"}}").detail)
            .isEqualTo("field 'properties' has a key of 129 characters, max 128");
        StringBuilder many = new StringBuilder(HEAD + ",\"properties\":{");
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        ClickEventParser.Result r = parse(many + "}}");
        assertThat(r.reason).isEqualTo(DlqReason.INVALID_VALUE);
        assertThat(r.detail).isEqualTo("field 'properties' has 65 entries, max 64");
        assertThat(parse(many.toString().replace(",\"k64\":\"v\"", "") + "}}").event.properties).hasSize(64);
    }

    @Test
    void unknownFutureVersionsStillGoToTheDlq() {
        ClickEventParser.Result r = parse(HEAD.replace("\"schema_version\":3", "\"schema_version\":4") + ",\"campaign\":\"c\"}");
        assertThat(r.reason).isEqualTo(DlqReason.UNKNOWN_SCHEMA_VERSION);
        assertThat(r.detail).isEqualTo("schema_version 4 not in " + ClickEventSchema.SUPPORTED_VERSIONS);
    }

    @Test
    void encodeAndParseRoundTripV3() {
        ClickEvent e = new ClickEvent("e9", 3, "click", "u9", "/x", KAFKA_TS - 1);
        e.campaign = "c";
        e.properties = Map.of("a", "b");
        ClickEventParser.Result r = PARSER.parse(EventJson.encode(e), KAFKA_TS);
        assertThat(r.event).isEqualTo(e);
    }
}
