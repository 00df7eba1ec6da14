package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** Keeps the limits and DLQ headers that docs/TABLES.md states equal to their one definition here. */
class LimitsDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "TABLES.md");

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    @Test
    void docsStateTheLimitsDefinedInCode() throws IOException {
        String docs = Files.readString(DOCS);
        assertThat(docs).contains("`Topics.MAX_RECORD_BYTES`").contains(number(Topics.MAX_RECORD_BYTES) + " bytes")
            .contains(Topics.MAX_RECORD_BYTES / (1024 * 1024) + " MiB");
        assertThat(docs).contains("| " + number(ClickEventSchema.MAX_ID_LENGTH) + " characters | `ClickEventSchema.MAX_ID_LENGTH` |")
            .contains("| " + number(ClickEventSchema.MAX_PAGE_LENGTH) + " characters | `ClickEventSchema.MAX_PAGE_LENGTH` |");
        assertThat(docs).contains("from " + Instant.ofEpochMilli(ClickEventSchema.MIN_EVENT_TIME_MS).toString().substring(0, 10))
            .contains("to " + Instant.ofEpochMilli(ClickEventSchema.MAX_EVENT_TIME_MS).toString().substring(0, 10) + " (exclusive)");
    }

    @Test
    void docsNameEveryDlqHeader() throws IOException {
        String docs = Files.readString(DOCS);
        for (String h : new String[] {Topics.HEADER_REASON, Topics.HEADER_DETAIL, Topics.HEADER_ORIGINAL_SIZE,
                Topics.HEADER_TRUNCATED, Topics.HEADER_ORIGINAL_KEY_SIZE, Topics.HEADER_SOURCE_PARTITION,
                Topics.HEADER_SOURCE_OFFSET, Topics.HEADER_SOURCE_TIMESTAMP}) {
            assertThat(docs).as("docs/TABLES.md names header %s", h).contains("`" + h + "`");
        }
    }
}
