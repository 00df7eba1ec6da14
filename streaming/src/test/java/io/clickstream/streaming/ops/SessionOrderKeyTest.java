package io.clickstream.streaming.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The hand-built order key is the string String.format("%013d|%s") gave, so the funnel order is unchanged. */
class SessionOrderKeyTest {
    @Test
    void equalsTheFormattedKey() {
        Random rnd = new Random(7);
        long[] fixed = {0, 1, 9, 10, 946_684_800_000L, 1_767_225_600_000L, 9_999_999_999_999L, 10_000_000_000_000L, -1, -42};
        for (long t : fixed) {
            assertThat(SessionAggregate.orderKey(t, "e")).isEqualTo(String.format("%013d|%s", t, "e"));
        }
        for (int i = 0; i < 10_000; i++) {
            long t = rnd.nextLong() & Long.MAX_VALUE >> rnd.nextInt(63);
            String id = "id-" + rnd.nextInt();
            assertThat(SessionAggregate.orderKey(t, id)).isEqualTo(String.format("%013d|%s", t, id));
        }
    }
}
