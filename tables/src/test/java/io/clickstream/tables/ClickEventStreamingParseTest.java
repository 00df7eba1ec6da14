package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The parser's streaming fast path against its tree-model reference ({@link ClickEventParser#treeParse}): over
 * valid events of every version and tens of thousands of mutations of them (fields dropped, nulled, retyped,
 * duplicated, overlong, blank, unpaired surrogates, unknown nested fields, trailing and truncated JSON, odd
 * roots), {@code parse} gives exactly the tree model's verdict: the same event (properties in producer order),
 * or the same reason and the same detail.
 */
class ClickEventStreamingParseTest {
    /** 2026-01-05T08:00:00Z. */
    private static final long KAFKA_TS = 1_767_600_000_000L;
    private static final ClickEventParser PARSER = new ClickEventParser(1 << 16, 600_000);

    @Test
    void everyPayloadGetsTheTreeModelsVerdict() {
        Random rnd = new Random(20261207L);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 40_000; i++) {
            String json = i % 4 == 0 ? valid(rnd, i) : mutate(rnd, valid(rnd, i));
            byte[] payload = json.getBytes(StandardCharsets.UTF_8);
            if (payload.length == 0) {
                continue; // rejected before either parse ("empty payload")
            }
            ClickEventParser.Result fast = PARSER.parse(payload, KAFKA_TS);
            ClickEventParser.Result tree = PARSER.treeParse(payload, KAFKA_TS);
            assertThat(fast.reason).as(json).isEqualTo(tree.reason);
            if (tree.event == null) {
                // parse() escapes surrogates in details; the reference is compared the same way.
                assertThat(fast.detail).as(json).isEqualTo(ClickEventParser.safeDetail(tree.detail));
                rejected++;
            } else {
                assertThat(fast.event).as(json).isEqualTo(tree.event);
                if (tree.event.properties != null) {
                    assertThat(new ArrayList<>(fast.event.properties.keySet())).as(json)
                        .containsExactlyElementsOf(tree.event.properties.keySet());
                }
                accepted++;
            }
        }
        // Both sides well represented, or the comparison proves little.
        assertThat(accepted).isGreaterThan(10_000);
        assertThat(rejected).isGreaterThan(10_000);
    }

    /**
     * Not a timed test (nothing asserted on time): prints ns per valid event for the tree model and the streaming path,
     * best of 3, for docs/BENCHMARKS.md.
     */
    @Test
    void microBenchmarkAgainstTheTreeModel() {
        Random rnd = new Random(7);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            payloads.add(valid(rnd, i).getBytes(StandardCharsets.UTF_8));
        }
        double tree = Double.MAX_VALUE;
        double fast = Double.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (byte[] p : payloads) {
                sink += PARSER.treeParse(p, KAFKA_TS).event.eventTime;
            }
            long t1 = System.nanoTime();
            for (byte[] p : payloads) {
                sink += PARSER.parse(p, KAFKA_TS).event.eventTime;
            }
            long t2 = System.nanoTime();
            tree = Math.min(tree, (t1 - t0) / (double) payloads.size());
            fast = Math.min(fast, (t2 - t1) / (double) payloads.size());
        }
        System.out.printf("ClickEventParser, %,d valid events (v1/v2/v3), best of 3: tree model %.0f ns/event, streaming %.0f ns/event "
            + "(%.1fx) [%d]%n", payloads.size(), tree, fast, tree / fast, sink % 10);
        assertThat(sink).isNotZero();
    }

    private static String valid(Random rnd, int i) {
        int version = 1 + rnd.nextInt(3);
        StringBuilder b = new StringBuilder("{");
        List<String> fields = new ArrayList<>();
        fields.add("\"schema_version\":" + version);
        fields.add("\"event_id\":\"e-" + i + "-" + Long.toHexString(rnd.nextLong()) + "\"");
        fields.add("\"event_type\":\"" + EventType.values()[rnd.nextInt(EventType.values().length)].wireName() + "\"");
        fields.add("\"user_id\":\"u-" + rnd.nextInt(5000) + "\"");
        fields.add("\"page\":\"/p/" + rnd.nextInt(200) + "\"");
        fields.add("\"event_time\":" + (KAFKA_TS - rnd.nextInt(3_600_000)));
        if (version >= 2 || rnd.nextInt(4) == 0) {
            fields.add("\"referrer\":" + (rnd.nextInt(3) == 0 ? "null" : "\"https://ref/" + rnd.nextInt(9) + "\""));
            fields.add("\"device\":\"" + (rnd.nextBoolean() ? "mobile" : "desktop") + "\"");
            fields.add("\"country\":\"" + (rnd.nextBoolean() ? "DE" : "US") + "\"");
        }
        if (version >= 3 || rnd.nextInt(4) == 0) {
            fields.add("\"campaign\":" + (rnd.nextBoolean() ? "null" : "\"spring-sale\""));
            fields.add("\"experiment_id\":\"exp-" + rnd.nextInt(3) + "\"");
            fields.add("\"properties\":" + (rnd.nextInt(4) == 0 ? "null" : "{\"b\":\"2\",\"a\":\"1\",\"z\":\"" + rnd.nextInt(99) + "\"}"));
        }
        if (rnd.nextInt(5) == 0) {
            fields.add("\"extra\":{\"nested\":[1,2,{\"x\":null}],\"s\":\"t\"}");
        }
        java.util.Collections.shuffle(fields, rnd);
        b.append(String.join(",", fields)).append('}');
        return b.toString();
    }

    private static final String[] FIELDS = {"schema_version", "event_id", "event_type", "user_id", "page", "event_time",
        "referrer", "device", "country", "campaign", "experiment_id", "properties", "extra"};
    private static final String[] ODD_VALUES = {"null", "1", "0", "4", "-1", "1.0", "1e3", "true", "false", "\"\"", "\"  \"",
        "\"1\"", "[]", "[1]", "{}", "{\"a\":1}", "{\"a\":\"x\",\"a\":\"y\"}", "{\"\":\"v\"}", "{\"k\":\"\\ud800\"}",
        "4294967297", "99999999999999999999999", "\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud83d\\ude00\"", "\"" + "x".repeat(129) + "\"",
        "\"" + "y".repeat(1025) + "\"", "\"click\"", "\"page_view\"", "\"teleport\"", "946684799999", "4102444800000",
        "1767600600001", "1767600600000", "1767600000000", "\"2026-01-05T08:00:00Z\""};

    private static String mutate(Random rnd, String json) {
        if (json.length() < 2) {
            return json + "{";
        }
        String field = FIELDS[rnd.nextInt(FIELDS.length)];
        String key = "\"" + field + "\":";
        switch (rnd.nextInt(9)) {
            case 0: // drop a field (if present)
                return json.replaceAll("\"" + field + "\":(\"[^\"]*\"|[^,}]*|\\{[^}]*\\})(,|(?=\\}$))", "").replace(",}", "}");
            case 1: // replace its value with an odd one
            case 2:
            case 3: {
                String value = ODD_VALUES[rnd.nextInt(ODD_VALUES.length)];
                int at = json.indexOf(key);
                String v = key + value;
                return at < 0 ? json.substring(0, json.length() - 1) + "," + v + "}" : json.replaceFirst(
                    java.util.regex.Pattern.quote(key) + "(\"[^\"]*\"|\\{[^}]*\\}|[^,}]*)", java.util.regex.Matcher.quoteReplacement(v));
            }
            case 4: // duplicate a key
                return json.substring(0, json.length() - 1) + "," + key + ODD_VALUES[rnd.nextInt(ODD_VALUES.length)] + "}";
            case 5: // trailing content
                return json + (rnd.nextBoolean() ? " {}" : rnd.nextBoolean() ? " x" : "  \n");
            case 6: // truncated
                return json.substring(0, rnd.nextInt(json.length()));
            case 7: { // an odd root
                String[] roots = {"", " ", "null", "42", "\"s\"", "[" + json + "]", "[]", "true", json + json};
                return roots[rnd.nextInt(roots.length)];
            }
            default: // two mutations
                return mutate(rnd, mutate(rnd, json));
        }
    }
}
