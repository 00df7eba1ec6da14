package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input at the edges (issue 16): strings that have no UTF-8 form, JSON oddities (BOM, duplicate
 * keys, deep nesting, control characters), numbers out of range and the length limits. Each case
 * asserts the exact verdict; the fuzz test asserts that no byte sequence makes the parser throw and
 * that every accepted string survives a UTF-8 round trip (what every engine downstream does to it).
 */
class ClickEventParserEdgeTest {
    private static final long KAFKA_TS = Instant.parse("2026-01-05T08:00:00Z").toEpochMilli();
    private static final ClickEventParser PARSER = new ClickEventParser(32 * 1024, 600_000);

    /** A valid v2 event with one field's raw JSON text replaced (or added). */
    private static String event(String field, String rawJson) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("schema_version", "2");
        m.put("event_id", "\"e-1\"");
        m.put("event_type", "\"page_view\"");
        m.put("user_id", "\"u-1\"");
        m.put("page", "\"/p/1\"");
        m.put("event_time", Long.toString(KAFKA_TS));
        m.put("referrer", "null");
        m.put("device", "\"mobile\"");
        m.put("country", "\"DE\"");
        m.put(field, rawJson);
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return b.append('}').toString();
    }

    private static ClickEventParser.Result parse(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8), KAFKA_TS);
    }

    private static boolean survivesUtf8(String s) {
        return s == null || new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "page|\"/p/\\ud800x\"|0xd800",
        "page|\"/p/\\udc00\"|0xdc00",
        "page|\"/p/\\udc00\\ud800\"|0xdc00",
        "page|\"\\ud83d\"|0xd83d",
        "event_id|\"e-\\ud800\"|0xd800",
        "user_id|\"u-\\udfff\"|0xdfff",
        "event_type|\"page_view\\ud800\"|0xd800",
        "referrer|\"https://x/\\ud800\"|0xd800",
        "device|\"\\udbff\"|0xdbff",
        "country|\"D\\ude00E\"|0xde00",
    })
    void unpairedSurrogatesAreInvalidValuesInEveryStringField(String field, String rawJson, String hex) {
        ClickEventParser.Result r = parse(event(field, rawJson));
        assertThat(r.event).isNull();
        assertThat(r.reason).isEqualTo(DlqReason.INVALID_VALUE);
        assertThat(r.detail).contains("'" + field + "'").contains("unpaired surrogate")
            .contains(String.format("\\u%04x", Integer.decode(hex)));
        assertThat(survivesUtf8(r.detail)).as("the detail itself has a UTF-8 form").isTrue();
    }

    @Test
    void surrogatePairsAndOtherUnicodeAreAccepted() {
        ClickEventParser.Result r = parse(event("page", "\"/p/\\ud83d\\ude00/\\u00e9/\\uffff/" + "\u4e2d" + "\""));
        assertThat(r.reason).isNull();
        assertThat(r.event.page).isEqualTo("/p/\ud83d\ude00/\u00e9/\uffff/\u4e2d");
        assertThat(survivesUtf8(r.event.page)).isTrue();
    }

    @Test
    void quotesControlCharactersAndSqlInPageAreAcceptedVerbatim() {
        ClickEventParser.Result r = parse(event("page", "\"/p/'quoted' \\\"dq\\\" \\u0000\\u0001\\t\\n\\r\\u007f;--\\\\\""));
        assertThat(r.reason).isNull();
        assertThat(r.event.page).isEqualTo("/p/'quoted' \"dq\" \u0000\u0001\t\n\r\u007f;--\\");
        ClickEventParser.Result sql = parse(event("page", "\"/p/'); DROP TABLE raw_events; --\""));
        assertThat(sql.event.page).isEqualTo("/p/'); DROP TABLE raw_events; --");
    }

    @Test
    void unescapedControlCharacterInAStringIsMalformed() {
        ClickEventParser.Result r = parse(event("page", "\"/p/\u0001\""));
        assertThat(r.reason).isEqualTo(DlqReason.MALFORMED_JSON);
    }

    @Test
    void byteOrderMarkIsSkippedAndTheEventAccepted() {
        byte[] json = event("page", "\"/bom\"").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        ClickEventParser.Result r = PARSER.parse(withBom, KAFKA_TS);
        assertThat(r.reason).isNull();
        assertThat(r.event.page).isEqualTo("/bom");
        // A BOM anywhere else is just a character: inside a string it is kept, between tokens it is garbage.
        ClickEventParser.Result inside = parse(event("page", "\"\ufeff/p\""));
        assertThat(inside.event.page).isEqualTo("\ufeff/p");
        assertThat(parse(" \ufeff" + event("page", "\"/p\"")).reason).isEqualTo(DlqReason.MALFORMED_JSON);
    }

    @Test
    void duplicateKeysAreMalformedEvenWithEqualValues() {
        String json = event("page", "\"/a\"");
        ClickEventParser.Result r = parse(json.substring(0, json.length() - 1) + ",\"page\":\"/a\"}");
        assertThat(r.reason).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(r.detail).contains("Duplicate field 'page'");
    }

    @Test
    void nestingBeyondJacksonsLimitIsMalformedAndWithinItIgnored() {
        ClickEventParser.Result deep = parse(event("extra", "[".repeat(10_000) + "]".repeat(10_000)));
        assertThat(deep.reason).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(deep.detail).contains("nesting depth");
        ClickEventParser.Result deepObject = parse(event("extra", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
        assertThat(deepObject.reason).isEqualTo(DlqReason.MALFORMED_JSON);
        ClickEventParser.Result moderate = parse(event("extra", "[".repeat(500) + "]".repeat(500)));
        assertThat(moderate.reason).as("unknown fields are ignored").isNull();
        // Without the payload limit: 1 MB of '[' must still be a clean rejection, not a StackOverflowError.
        ClickEventParser unlimited = new ClickEventParser(Integer.MAX_VALUE, 600_000);
        assertThat(unlimited.parse("[".repeat(1_000_000).getBytes(StandardCharsets.UTF_8), KAFKA_TS).reason)
            .isEqualTo(DlqReason.MALFORMED_JSON);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "schema_version|4294967297|WRONG_TYPE",
        "schema_version|18446744073709551617|WRONG_TYPE",
        "schema_version|1.0|WRONG_TYPE",
        "schema_version|-1|UNKNOWN_SCHEMA_VERSION",
        "schema_version|2147483647|UNKNOWN_SCHEMA_VERSION",
        "event_time|9223372036854775808|WRONG_TYPE",
        "event_time|99999999999999999999999999|WRONG_TYPE",
        "event_time|1.7676e12|WRONG_TYPE",
        "event_time|1767600000000.0|WRONG_TYPE",
        "event_time|1e400|WRONG_TYPE",
        "event_time|-9223372036854775808|INVALID_VALUE",
        "event_time|0|INVALID_VALUE",
        "event_time|9223372036854775807|INVALID_VALUE",
        "event_time|4102444800000|INVALID_VALUE",
        "event_time|\"1767600000000\"|WRONG_TYPE",
        "event_time|true|WRONG_TYPE",
        "event_id|42|WRONG_TYPE",
        "event_id|4.2|WRONG_TYPE",
        "page|[\"/p\"]|WRONG_TYPE",
        "page|{\"p\":1}|WRONG_TYPE",
        "user_id|false|WRONG_TYPE",
        "device|1|WRONG_TYPE",
        "event_time|NaN|MALFORMED_JSON",
        "event_time|Infinity|MALFORMED_JSON",
        "event_time|01767600000000|MALFORMED_JSON",
        "event_time|+1767600000000|MALFORMED_JSON",
        "page|\"   \"|INVALID_VALUE",
        "event_id|\"\"|INVALID_VALUE",
    })
    void numbersOutOfRangeAndWrongTypes(String field, String rawJson, DlqReason expected) {
        ClickEventParser.Result r = parse(event(field, rawJson));
        assertThat(r.event).as("%s", r.detail).isNull();
        assertThat(r.reason).as("%s", r.detail).isEqualTo(expected);
        assertThat(r.detail).isNotBlank();
    }

    @Test
    void aNumberLongerThanJacksonsLimitIsMalformed() {
        assertThat(parse(event("event_time", "1".repeat(1_500))).reason).isEqualTo(DlqReason.MALFORMED_JSON);
    }

    @Test
    void aKafkaTimestampNearLongMaxDoesNotOverflowTheFutureCheck() {
        ClickEventParser.Result r = PARSER.parse(event("event_time", Long.toString(KAFKA_TS)).getBytes(StandardCharsets.UTF_8),
            Long.MAX_VALUE - 1);
        assertThat(r.reason).isNull();
        assertThat(r.event.eventTime).isEqualTo(KAFKA_TS);
    }

    @Test
    void lengthLimitsAreInclusive() {
        String id = "e".repeat(ClickEventSchema.MAX_ID_LENGTH);
        assertThat(parse(event("event_id", "\"" + id + "\"")).event.eventId).isEqualTo(id);
        assertThat(parse(event("event_id", "\"" + id + "e\"")).reason).isEqualTo(DlqReason.INVALID_VALUE);
        assertThat(parse(event("user_id", "\"" + "u".repeat(ClickEventSchema.MAX_ID_LENGTH + 1) + "\"")).reason)
            .isEqualTo(DlqReason.INVALID_VALUE);
        String page = "/" + "p".repeat(ClickEventSchema.MAX_PAGE_LENGTH - 1);
        assertThat(parse(event("page", "\"" + page + "\"")).event.page).isEqualTo(page);
        ClickEventParser.Result longPage = parse(event("page", "\"" + page + "p\""));
        assertThat(longPage.reason).isEqualTo(DlqReason.INVALID_VALUE);
        assertThat(longPage.detail).contains("1025 characters, max 1024");
        assertThat(parse(event("referrer", "\"" + "r".repeat(ClickEventSchema.MAX_PAGE_LENGTH + 1) + "\"")).reason)
            .isEqualTo(DlqReason.INVALID_VALUE);
        // Characters are UTF-16 code units: 1,024 three-byte characters are accepted (3 KiB of UTF-8).
        String wide = "\u4e2d".repeat(ClickEventSchema.MAX_PAGE_LENGTH);
        assertThat(parse(event("page", "\"" + wide + "\"")).event.page).isEqualTo(wide);
    }

    @Test
    void tombstoneAndEmptyValuesAreMalformed() {
        ClickEventParser.Result tombstone = PARSER.parse(null, KAFKA_TS);
        assertThat(tombstone.reason).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(tombstone.detail).contains("tombstone");
        assertThat(PARSER.parse(new byte[0], KAFKA_TS).reason).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(parse("   ").reason).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(parse("null").reason).isEqualTo(DlqReason.MALFORMED_JSON);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void invalidUtf8BytesAreMalformed(int variant) {
        byte[] bad = switch (variant) {
            case 1 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
            // CESU-8 / "modified UTF-8" encoding of the lone surrogate U+D800 inside the page.
            case 2 -> utf8With(event("page", "\"/p/X\""), "X", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
            default -> utf8With(event("page", "\"/p/X\""), "X", new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
        };
        ClickEventParser.Result r = PARSER.parse(bad, KAFKA_TS);
        assertThat(r.event).as("accepted %s", r.event).isNull();
        // Jackson decodes a CESU-8 surrogate without complaint: the Unicode check catches it.
        assertThat(r.reason).as("%s", r.detail).isEqualTo(variant == 2 ? DlqReason.INVALID_VALUE : DlqReason.MALFORMED_JSON);
        assertThat(survivesUtf8(r.detail)).isTrue();
    }

    private static byte[] utf8With(String json, String marker, byte[] replacement) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        int at = json.indexOf(marker);
        byte[] out = new byte[b.length - 1 + replacement.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(replacement, 0, out, at, replacement.length);
        System.arraycopy(b, at + 1, out, at + replacement.length, b.length - at - 1);
        return out;
    }

    /**
     * 50,000 random mutations of valid events (bytes flipped, inserted, deleted, escapes spliced in):
     * the parser never throws, every rejection has a reason and a detail with a UTF-8 form, and every
     * accepted event's strings survive a UTF-8 round trip unchanged.
     */
    @Test
    void fuzzedInputNeverThrowsAndAcceptedStringsSurviveUtf8() {
        Random rnd = new Random(16);
        String[] splices = {"\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0000", "\"", "\\", "\ufeff", "{", "[", "1e999", ","};
        Map<DlqReason, Integer> seen = new EnumMap<>(DlqReason.class);
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            String base = event("page", "\"/p/" + i + "\"");
            byte[] b;
            if (rnd.nextBoolean()) {
                int at = rnd.nextInt(base.length());
                b = (base.substring(0, at) + splices[rnd.nextInt(splices.length)] + base.substring(at)).getBytes(StandardCharsets.UTF_8);
            } else {
                b = base.getBytes(StandardCharsets.UTF_8);
                for (int k = rnd.nextInt(3) + 1; k > 0; k--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            ClickEventParser.Result r = PARSER.parse(b, KAFKA_TS);
            if (r.event != null) {
                accepted++;
                ClickEvent e = r.event;
                for (String s : new String[] {e.eventId, e.eventType, e.userId, e.page, e.referrer, e.device, e.country}) {
                    assertThat(survivesUtf8(s)).as("accepted string %s of %s", s, new String(b, StandardCharsets.UTF_8)).isTrue();
                }
            } else {
                assertThat(r.reason).isNotNull();
                assertThat(r.detail).isNotBlank();
                assertThat(survivesUtf8(r.detail)).as("detail %s", r.detail).isTrue();
                seen.merge(r.reason, 1, Integer::sum);
            }
        }
        assertThat(accepted).as("some mutations stay valid").isPositive();
        assertThat(seen).containsKeys(DlqReason.MALFORMED_JSON, DlqReason.INVALID_VALUE, DlqReason.WRONG_TYPE);
    }
}
