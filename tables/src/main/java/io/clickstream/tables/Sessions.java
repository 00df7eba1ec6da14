package io.clickstream.tables;

import java.time.Duration;

/**
 * What a session is, for every engine that builds sessions: the streaming job's session windows and
 * the batch correction's recomputation must cut a user's events at the same places.
 */
public final class Sessions {
    /**
     * Default inactivity gap: a user's events belong to one session while each follows the previous one
     * by at most this much (Flink session windows merge windows {@code [t, t + gap)} that touch).
     */
    public static final Duration DEFAULT_GAP = Duration.ofMinutes(30);

    private Sessions() {}
}
