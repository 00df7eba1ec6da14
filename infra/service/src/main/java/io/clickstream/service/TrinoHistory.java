package io.clickstream.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.BiConsumer;

/**
 * The history side of {@code GET /v1/metrics}: the Iceberg serving copy of {@code page_minute_agg}
 * through trino-jdbc (what BI reads). Counts are summed per bucket in Trino; distinct users come back
 * as one sketch per minute row and are unioned by the caller. The time range is spliced as
 * {@code TIMESTAMP} literals formatted from parsed instants (never client text); the page is a bound
 * parameter. The {@code dt} range prunes partitions.
 */
public final class TrinoHistory {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final String url;
    private final String user;
    private final String passwordFile;

    /** Queries {@code url} (TLS, password authentication) as {@code user}, whose password is in {@code passwordFile}. */
    public TrinoHistory(String url, String user, String passwordFile) {
        this.url = url;
        this.user = user;
        this.passwordFile = passwordFile;
    }

    private Connection connect() throws SQLException {
        try {
            return io.clickstream.infra.lakehouse.TrinoLogin.connect(url, user, passwordFile);
        } catch (java.io.IOException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    private static String where(long from, long to, String page) {
        return " WHERE window_start >= TIMESTAMP '" + TS.format(Instant.ofEpochMilli(from)) + "'"
            + " AND window_start < TIMESTAMP '" + TS.format(Instant.ofEpochMilli(to)) + "'"
            + " AND dt BETWEEN '" + DAY.format(Instant.ofEpochMilli(from)) + "' AND '" + DAY.format(Instant.ofEpochMilli(to)) + "'"
            + (page == null ? "" : " AND page = ?");
    }

    /** Sum of {@code metric} per bucket ({@code unit} minute/hour/day) over windows in [from, to): (bucket start, sum). */
    public void sums(Metric metric, String unit, long from, long to, String page, BiConsumer<Long, Long> out) throws SQLException {
        String sql = "SELECT date_trunc('" + unit + "', window_start) AS b, sum(" + metric.column() + ") FROM page_minute_agg"
            + where(from, to, page) + " GROUP BY 1";
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            if (page != null) {
                s.setString(1, page);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.accept(rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC).toEpochMilli(), rs.getLong(2));
                }
            }
        }
    }

    /** Every minute row's window start and {@code users_hll} sketch in [from, to). */
    public void sketches(long from, long to, String page, BiConsumer<Long, byte[]> out) throws SQLException {
        String sql = "SELECT window_start, users_hll FROM page_minute_agg" + where(from, to, page);
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            if (page != null) {
                s.setString(1, page);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.accept(rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC).toEpochMilli(), rs.getBytes(2));
                }
            }
        }
    }
}
