package io.clickstream.service;

import java.util.Arrays;
import java.util.Optional;

/**
 * The metrics of {@code GET /v1/metrics/{metric}}: columns of {@code page_minute_agg}. Counts add up
 * over minutes and pages; distinct users do not, so {@link #UNIQUE_USERS} over more than one minute
 * or page is the union of the rows' {@code users_hll} sketches (an estimate, HLL lgK 12: ~1.6% standard
 * error), never a sum. {@link #UNIQUE_VIEWERS} has no sketch: only per minute and page.
 */
public enum Metric {
    EVENTS("events"),
    PAGE_VIEWS("page_views"),
    CLICKS("clicks"),
    ADD_TO_CARTS("add_to_carts"),
    CHECKOUTS("checkouts"),
    PURCHASES("purchases"),
    UNIQUE_USERS("unique_users"),
    UNIQUE_VIEWERS("unique_viewers");

    private final String column;

    Metric(String column) {
        this.column = column;
    }

    /** The column (and the path name) of the metric. */
    public String column() {
        return column;
    }

    public boolean distinct() {
        return this == UNIQUE_USERS || this == UNIQUE_VIEWERS;
    }

    public static Optional<Metric> fromPath(String name) {
        return Arrays.stream(values()).filter(m -> m.column.equals(name)).findFirst();
    }

    /** The metric's value in a hot row. */
    long of(MinuteStore.Row r) {
        return switch (this) {
            case EVENTS -> r.events();
            case PAGE_VIEWS -> r.pageViews();
            case CLICKS -> r.clicks();
            case ADD_TO_CARTS -> r.addToCarts();
            case CHECKOUTS -> r.checkouts();
            case PURCHASES -> r.purchases();
            case UNIQUE_USERS -> r.uniqueUsers();
            case UNIQUE_VIEWERS -> r.uniqueViewers();
        };
    }
}
