package io.clickstream.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.ClickEventParser;
import io.clickstream.tables.DlqReason;

/**
 * One {@code POST /v1/events} body split into its events and judged by the stream job's own parser
 * ({@link ClickEventParser}, in {@code tables}): the same bytes and the same record timestamp give the
 * same verdict in the service and in the job, so an event the API accepts is never sent to the DLQ.
 *
 * <p>The body must be a JSON array. Each element is cut out of the body as the exact bytes the client
 * sent (no re-serialisation: a re-written element could lose a duplicate key or change a string), and
 * those bytes are what is parsed and, if valid, produced to Kafka. An element that is not an object
 * is an event like any other and gets the parser's verdict ({@code MALFORMED_JSON}). A body that is not
 * a well-formed JSON array at all (including an element nested deeper than Jackson's 1,000 levels)
 * cannot be split into events and is refused as a whole ({@link BadBatch}, 400); more than
 * {@code maxEvents} elements is {@link TooManyEvents} (413).
 */
public final class EventBatch {
    private static final JsonFactory JSON = new JsonFactory();

    /** The body cannot be split into events: 400 with this message. */
    public static final class BadBatch extends Exception {
        public BadBatch(String message) {
            super(message, null, false, false);
        }
    }

    /** The body holds more events than allowed: 413. */
    public static final class TooManyEvents extends Exception {
        public TooManyEvents(String message) {
            super(message, null, false, false);
        }
    }

    /** One element of the batch: its index, its bytes and the parser's verdict. */
    public record Item(int index, byte[] bytes, ClickEvent event, DlqReason reason, String detail) {
        public boolean valid() {
            return event != null;
        }
    }

    private final List<Item> items;

    private EventBatch(List<Item> items) {
        this.items = items;
    }

    public List<Item> items() {
        return items;
    }

    public List<Item> valid() {
        return items.stream().filter(Item::valid).toList();
    }

    public List<Item> rejected() {
        return items.stream().filter(i -> !i.valid()).toList();
    }

    /** Splits the body into its elements without judging them (the element count decides 413 and the rate limit). */
    public static List<byte[]> split(byte[] body, int maxEvents) throws BadBatch, TooManyEvents {
        List<byte[]> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new BadBatch("the body must be a JSON array of events, found " + (first == null ? "nothing" : describe(first)));
            }
            while (true) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    throw new BadBatch("the JSON array is not closed");
                }
                if (t == JsonToken.END_ARRAY) {
                    break;
                }
                if (out.size() == maxEvents) {
                    throw new TooManyEvents("a batch holds at most " + maxEvents + " events");
                }
                int start = (int) p.currentTokenLocation().getByteOffset();
                int end;
                if (t.isStructStart()) {
                    p.skipChildren();
                    end = (int) p.currentLocation().getByteOffset();
                } else {
                    p.finishToken();
                    end = (int) p.currentLocation().getByteOffset();
                    // A number's end is found by reading one byte past it; never include a separator.
                    while (end > start && isSeparator(body[end - 1])) {
                        end--;
                    }
                }
                out.add(Arrays.copyOfRange(body, start, end));
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new BadBatch("unexpected " + describe(trailing) + " after the JSON array");
            }
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            int nl = m.indexOf('\n');
            throw new BadBatch("the body is not a well-formed JSON array: " + (nl < 0 ? m : m.substring(0, nl)));
        }
        return out;
    }

    /** Judges each element with {@code parser} against {@code recordTimestamp}, the Kafka timestamp the valid ones will carry. */
    public static EventBatch judge(List<byte[]> elements, ClickEventParser parser, long recordTimestamp) {
        List<Item> items = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            byte[] b = elements.get(i);
            ClickEventParser.Result r = parser.parse(b, recordTimestamp);
            items.add(new Item(i, b, r.event, r.reason, r.detail));
        }
        return new EventBatch(items);
    }

    private static boolean isSeparator(byte b) {
        return b == ',' || b == ']' || b == '}' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }
}
