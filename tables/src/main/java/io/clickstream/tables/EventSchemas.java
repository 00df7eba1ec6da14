package io.clickstream.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The versioned contracts of the click event: one JSON Schema file per {@code schema_version},
 * {@code schemas/click_event/v<N>.schema.json} on the classpath, numbered 1, 2, 3, ... without gaps.
 *
 * <p>The files are the contract producers are given; {@link ClickEventParser} implements them (a test
 * keeps the two equal) and {@link SchemaCompatibility} checks in the build that every version can read
 * the events of the previous one, so producers and consumers can be upgraded without a coordinated
 * restart. JSON Schema rather than Avro because the wire format is JSON and Jackson (already here)
 * reads it: {@code tables} gains no dependency.
 */
public final class EventSchemas {
    /** Classpath folder of the click event's contracts. */
    public static final String CLICK_EVENT_DIR = "schemas/click_event/";
    /** Root keyword of every contract holding its {@code schema_version}. */
    public static final String VERSION_KEYWORD = "x-schema-version";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventSchemas() {}

    /** One version of the contract: its number and its JSON Schema document. */
    public record Version(int version, String resource, JsonNode schema) {}

    /** Classpath location of the contract of {@code version}. */
    public static String resource(int version) {
        return CLICK_EVENT_DIR + "v" + version + ".schema.json";
    }

    /** Every version of the click event's contract, from v1 up to the last file without a gap. */
    public static List<Version> clickEvent() {
        List<Version> out = new ArrayList<>();
        for (int v = 1; ; v++) {
            JsonNode schema = load(resource(v));
            if (schema == null) {
                break;
            }
            int declared = schema.path(VERSION_KEYWORD).asInt(-1);
            if (declared != v) {
                throw new IllegalStateException(resource(v) + " declares " + VERSION_KEYWORD + " " + declared + ", not " + v);
            }
            out.add(new Version(v, resource(v), schema));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no event contract on the classpath under " + CLICK_EVENT_DIR);
        }
        return out;
    }

    /** Parses a JSON Schema document from text (for checks of candidate versions). */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON document: " + e.getMessage(), e);
        }
    }

    private static JsonNode load(String resource) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }
}
