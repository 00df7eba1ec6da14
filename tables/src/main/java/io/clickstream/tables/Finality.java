package io.clickstream.tables;

import java.util.Locale;

/**
 * What a minute row's numbers are, in its {@code finality} column: BI can ask for closed windows
 * only ({@code WHERE finality <> 'provisional'}), and an operator can see which rows a batch
 * correction changed.
 */
public enum Finality {
    /** The window may still change: the watermark has not passed its end plus the allowed lateness (early or on-time firings). */
    PROVISIONAL,
    /** Closed by the watermark: no on-time event can change it any more; only a batch correction (late events) can. */
    FINAL,
    /** Recomputed by the batch correction from the deduplicated events, late ones included ({@code corrected_by} names the run). */
    CORRECTED;

    /** The value stored in the column: the lower-case name. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
