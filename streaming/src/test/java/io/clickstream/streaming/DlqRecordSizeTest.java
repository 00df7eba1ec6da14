package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.clickstream.streaming.model.SourceRecord;
import io.clickstream.streaming.sinks.SideTopicSinks;
import io.clickstream.tables.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The DLQ copy of a rejected record always fits into {@link Topics#MAX_RECORD_BYTES} as the Kafka
 * producer measures it: untouched when it fits, otherwise cut to the longest prefix that fits and
 * marked. The ITCase ({@code PoisonRecordITCase}) sends such records through a real broker.
 */
class DlqRecordSizeTest {
    private static final int MAX = Topics.MAX_RECORD_BYTES;

    private static SourceRecord rejected(byte[] key, byte[] value) {
        return SourceRecord.rejected(3, 123_456_789L, 1_767_600_000_000L, key, value, "OVERSIZED",
            "payload of " + (value == null ? 0 : value.length) + " bytes exceeds 32768");
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int size(ProducerRecord<byte[], byte[]> r) {
        return SideTopicSinks.sizeInRequest(r.key(), r.key() == null ? 0 : r.key().length, r.value(),
            r.value() == null ? 0 : r.value().length, (RecordHeaders) r.headers());
    }

    @Test
    void aSmallRecordIsCopiedUntouchedWithItsSizeAndProvenance() {
        byte[] value = "{\"broken\":".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> r = SideTopicSinks.dlqRecord("dlq", rejected("u-1".getBytes(StandardCharsets.UTF_8), value), MAX);
        assertThat(r.value()).isSameAs(value);
        assertThat(header(r, Topics.HEADER_TRUNCATED)).isNull();
        assertThat(header(r, Topics.HEADER_ORIGINAL_SIZE)).isEqualTo("10");
        assertThat(header(r, Topics.HEADER_SOURCE_PARTITION)).isEqualTo("3");
        assertThat(header(r, Topics.HEADER_SOURCE_OFFSET)).isEqualTo("123456789");
        assertThat(header(r, Topics.HEADER_REASON)).isEqualTo("OVERSIZED");
    }

    /** The record of issue 16: accepted by clicks.raw, but its DLQ copy was 2,097,203 bytes. */
    @Test
    void theRecordThatHaltedTheJobIsTruncatedToTheLimitAndMarked() {
        byte[] key = "u-17".getBytes(StandardCharsets.UTF_8);
        byte[] value = bytes(2_096_952);
        ProducerRecord<byte[], byte[]> r = SideTopicSinks.dlqRecord("dlq", rejected(key, value), MAX);
        assertThat(size(r)).isLessThanOrEqualTo(MAX);
        assertThat(header(r, Topics.HEADER_TRUNCATED)).isEqualTo("true");
        assertThat(header(r, Topics.HEADER_ORIGINAL_SIZE)).isEqualTo("2096952");
        assertThat(header(r, Topics.HEADER_ORIGINAL_KEY_SIZE)).isEqualTo("4");
        assertThat(header(r, Topics.HEADER_REASON)).isEqualTo("OVERSIZED");
        assertThat(header(r, Topics.HEADER_SOURCE_OFFSET)).isEqualTo("123456789");
        assertThat(r.key()).isEqualTo(key);
        assertThat(r.value()).isEqualTo(Arrays.copyOf(value, r.value().length));
        // The longest prefix that fits: one more byte would not.
        assertThat(SideTopicSinks.sizeInRequest(r.key(), key.length, value, r.value().length + 1, (RecordHeaders) r.headers()))
            .isGreaterThan(MAX);
        assertThat(value.length - r.value().length).as("bytes cut").isBetween(1, 1_000);
    }

    @Test
    void theLargestRecordThatFitsIsKeptWholeAndOneByteMoreIsTruncated() {
        byte[] key = "u-17".getBytes(StandardCharsets.UTF_8);
        int fits = largestUntruncated(key);
        ProducerRecord<byte[], byte[]> whole = SideTopicSinks.dlqRecord("dlq", rejected(key, bytes(fits)), MAX);
        assertThat(header(whole, Topics.HEADER_TRUNCATED)).isNull();
        assertThat(whole.value()).hasSize(fits);
        assertThat(size(whole)).isLessThanOrEqualTo(MAX);

        ProducerRecord<byte[], byte[]> over = SideTopicSinks.dlqRecord("dlq", rejected(key, bytes(fits + 1)), MAX);
        assertThat(header(over, Topics.HEADER_TRUNCATED)).isEqualTo("true");
        assertThat(size(over)).isLessThanOrEqualTo(MAX);
    }

    /** Binary search over value sizes: the largest value whose DLQ copy is not truncated. */
    static int largestUntruncated(byte[] key) {
        int lo = 0;
        int hi = MAX;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            ProducerRecord<byte[], byte[]> r = SideTopicSinks.dlqRecord("dlq", rejected(key, new byte[mid]), MAX);
            if (r.headers().lastHeader(Topics.HEADER_TRUNCATED) == null) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Test
    void aHugeKeyOfATombstoneIsTruncatedToo() {
        byte[] key = bytes(3 * 1024 * 1024);
        ProducerRecord<byte[], byte[]> r = SideTopicSinks.dlqRecord("dlq", rejected(key, null), MAX);
        assertThat(r.value()).isNull();
        assertThat(size(r)).isLessThanOrEqualTo(MAX);
        assertThat(r.key()).isEqualTo(Arrays.copyOf(key, r.key().length));
        assertThat(header(r, Topics.HEADER_ORIGINAL_KEY_SIZE)).isEqualTo(Integer.toString(key.length));
        assertThat(header(r, Topics.HEADER_ORIGINAL_SIZE)).isEqualTo("0");
        assertThat(header(r, Topics.HEADER_TRUNCATED)).isEqualTo("true");
    }

    @Test
    void aLargeKeyAndValueKeepTheKeyAndCutTheValue() {
        byte[] key = bytes(1024 * 1024);
        byte[] value = bytes(10 * 1024 * 1024);
        ProducerRecord<byte[], byte[]> r = SideTopicSinks.dlqRecord("dlq", rejected(key, value), MAX);
        assertThat(r.key()).isEqualTo(key);
        assertThat(size(r)).isLessThanOrEqualTo(MAX);
        assertThat(r.value().length).isGreaterThan(MAX - key.length - 1_000);
        assertThat(header(r, Topics.HEADER_ORIGINAL_SIZE)).isEqualTo(Integer.toString(value.length));
    }

    @Test
    void aLongDetailIsCappedSoTheHeadersStaySmall() {
        SourceRecord s = rejected(null, bytes(10));
        s.detail = "x".repeat(100_000);
        ProducerRecord<byte[], byte[]> r = SideTopicSinks.dlqRecord("dlq", s, MAX);
        assertThat(header(r, Topics.HEADER_DETAIL)).hasSize(1024 + 3).endsWith("...");
    }
}
