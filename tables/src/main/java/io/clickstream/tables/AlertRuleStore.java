package io.clickstream.tables;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code alerting.alert_rules} in PostgreSQL through JDBC: create, replace, enable/disable, get, list.
 * Every change bumps {@code version} and sets {@code updated_at} in the same statement (the database's
 * clock), so the alerting job can reload what changed by version; {@code created_at} never changes.
 * Rules are never deleted (soft disable). The schema comes from the resource
 * {@code ddl/postgres/alert_rules.sql} in {@code tables} and is created at start if missing.
 */
public final class AlertRuleStore {
    /** Classpath location of the table's DDL. */
    public static final String DDL_RESOURCE = "ddl/postgres/alert_rules.sql";
    private static final String COLUMNS = "rule_id, name, metric, filter_page, filter_country, filter_device, filter_event_type, "
        + "condition, threshold, baseline_windows, window_seconds, slide_seconds, min_duration_seconds, channel, webhook_url, "
        + "enabled, version, created_at, updated_at";

    private final String url;
    private final String user;
    private final String password;

    /** The rule exists already (create). */
    public static final class Conflict extends Exception {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    public AlertRuleStore(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    /** Creates the schema and table if missing. */
    public AlertRuleStore ensureSchema() throws SQLException {
        String ddl;
        try (InputStream in = AlertRuleStore.class.getClassLoader().getResourceAsStream(DDL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + DDL_RESOURCE);
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder body = new StringBuilder();
        for (String line : ddl.split("\n")) {
            if (!line.strip().startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : body.toString().split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
        return this;
    }

    /** Inserts a new rule (version 1). */
    public AlertRule create(AlertRule r) throws SQLException, Conflict {
        String sql = "INSERT INTO alerting.alert_rules (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, "
            + "now(), now()) ON CONFLICT (rule_id) DO NOTHING RETURNING " + COLUMNS;
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, r, 1);
            s.setString(1, r.ruleId());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new Conflict("rule '" + r.ruleId() + "' exists; replace it with PUT /v1/alert-rules/" + r.ruleId());
                }
                return read(rs);
            }
        }
    }

    /** Replaces every client field of an existing rule; empty if there is none. */
    public Optional<AlertRule> replace(AlertRule r) throws SQLException {
        String sql = "UPDATE alerting.alert_rules SET name = ?, metric = ?, filter_page = ?, filter_country = ?, filter_device = ?, "
            + "filter_event_type = ?, condition = ?, threshold = ?, baseline_windows = ?, window_seconds = ?, slide_seconds = ?, "
            + "min_duration_seconds = ?, channel = ?, webhook_url = ?, enabled = ?, version = version + 1, updated_at = now() "
            + "WHERE rule_id = ? RETURNING " + COLUMNS;
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, r, 0);
            s.setString(16, r.ruleId());
            return one(s);
        }
    }

    /** Sets {@code enabled}; empty if there is no such rule. */
    public Optional<AlertRule> setEnabled(String ruleId, boolean enabled) throws SQLException {
        String sql = "UPDATE alerting.alert_rules SET enabled = ?, version = version + 1, updated_at = now() WHERE rule_id = ? "
            + "RETURNING " + COLUMNS;
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setBoolean(1, enabled);
            s.setString(2, ruleId);
            return one(s);
        }
    }

    public Optional<AlertRule> get(String ruleId) throws SQLException {
        try (Connection c = connect();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM alerting.alert_rules WHERE rule_id = ?")) {
            s.setString(1, ruleId);
            return one(s);
        }
    }

    /** Every rule by id, or only the enabled/disabled ones. */
    public List<AlertRule> list(Boolean enabled) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM alerting.alert_rules" + (enabled == null ? "" : " WHERE enabled = ?") + " ORDER BY rule_id";
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            if (enabled != null) {
                s.setBoolean(1, enabled);
            }
            List<AlertRule> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    private static Optional<AlertRule> one(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    /** Binds the client fields from parameter {@code offset + 2} on (name first); parameter 1 is the id on insert. */
    private static void bind(PreparedStatement s, AlertRule r, int offset) throws SQLException {
        int i = offset + 1;
        s.setString(i++, r.name());
        s.setString(i++, r.metric());
        s.setString(i++, r.filterPage());
        s.setString(i++, r.filterCountry());
        s.setString(i++, r.filterDevice());
        s.setString(i++, r.filterEventType());
        s.setString(i++, r.condition());
        s.setDouble(i++, r.threshold());
        if (r.baselineWindows() == null) {
            s.setNull(i++, Types.INTEGER);
        } else {
            s.setInt(i++, r.baselineWindows());
        }
        s.setInt(i++, r.windowSeconds());
        s.setInt(i++, r.slideSeconds());
        s.setInt(i++, r.minDurationSeconds());
        s.setString(i++, r.channel());
        s.setString(i++, r.webhookUrl());
        s.setBoolean(i, r.enabled());
    }

    private static AlertRule read(ResultSet rs) throws SQLException {
        int baseline = rs.getInt("baseline_windows");
        Integer b = rs.wasNull() ? null : baseline;
        return new AlertRule(rs.getString("rule_id"), rs.getString("name"), rs.getString("metric"), rs.getString("filter_page"),
            rs.getString("filter_country"), rs.getString("filter_device"), rs.getString("filter_event_type"),
            rs.getString("condition"), rs.getDouble("threshold"), b, rs.getInt("window_seconds"), rs.getInt("slide_seconds"),
            rs.getInt("min_duration_seconds"), rs.getString("channel"), rs.getString("webhook_url"), rs.getBoolean("enabled"),
            rs.getLong("version"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toInstant();
    }
}
