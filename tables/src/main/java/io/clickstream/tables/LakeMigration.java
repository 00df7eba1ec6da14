package io.clickstream.tables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema migrations of the lake tables, one per event schema version that added columns. The
 * {@code CREATE TABLE} files ({@link LakeTable}) hold the v2 shape the tables were first created with;
 * each migration brings existing (and newly created) tables to its version with {@code ALTER TABLE ...
 * ADD} statements in {@code ddl/migrations/v<N>/paimon/<table>.sql} and {@code .../iceberg/<table>.sql}
 * (Flink SQL, executed in the table's catalog and database).
 *
 * <p>Engine-free on purpose: the runner lives in the module that owns the lake catalogs (the streaming
 * module's {@code SchemaMigrator}, which the job and the migration command both call). A migration only
 * adds nullable columns (checked by {@code LakeMigrationTest}), so it never breaks a writer or reader of
 * the previous version; it is applied only when none of its columns exists, and afterwards the table
 * records the version in its property {@link #VERSION_PROPERTY}, so running it again changes nothing.
 */
public enum LakeMigration {
    /**
     * Event schema v3 ({@code campaign}, {@code experiment_id}, {@code properties} on the event tables),
     * rolled out together with the DLQ replay: {@code raw_events} also gains the clicks.raw coordinate of the
     * rejected record a replayed record repairs ({@link Replay#COLUMNS}).
     */
    V3(3, List.of(LakeTable.RAW_EVENTS, LakeTable.EVENTS_DEDUP), ClickEventSchema.V3_FIELDS,
        Map.of(LakeTable.RAW_EVENTS, Replay.COLUMNS));

    /** The provenance columns of raw_events for a record re-produced by the DLQ replay (null on every other row). */
    public static final class Replay {
        public static final String PARTITION = "replay_of_partition";
        public static final String OFFSET = "replay_of_offset";
        public static final List<String> COLUMNS = List.of(PARTITION, OFFSET);

        private Replay() {}
    }

    /** Table property (Paimon option, Iceberg table property) holding the last schema version applied. */
    public static final String VERSION_PROPERTY = "clickstream.schema-version";
    /** Schema version of a table that has no {@link #VERSION_PROPERTY}: the version its CREATE file has. */
    public static final int BASELINE_VERSION = 2;

    private final int version;
    private final List<LakeTable> tables;
    private final Map<LakeTable, List<String>> columns = new LinkedHashMap<>();

    LakeMigration(int version, List<LakeTable> tables, List<String> common, Map<LakeTable, List<String>> extra) {
        this.version = version;
        this.tables = tables;
        for (LakeTable t : tables) {
            List<String> c = new ArrayList<>(common);
            c.addAll(extra.getOrDefault(t, List.of()));
            columns.put(t, List.copyOf(c));
        }
    }

    /** The event schema version this migration brings the tables to. */
    public int version() {
        return version;
    }

    /** Tables that gain columns. */
    public List<LakeTable> tables() {
        return tables;
    }

    /** Names of the columns added to table {@code t} (one of {@link #tables()}), in order. */
    public List<String> columns(LakeTable t) {
        List<String> c = columns.get(t);
        if (c == null) {
            throw new IllegalArgumentException(t.tableName() + " is not changed by migration v" + version);
        }
        return c;
    }

    public String paimonResource(LakeTable t) {
        return "ddl/migrations/v" + version + "/paimon/" + t.tableName() + ".sql";
    }

    public String icebergResource(LakeTable t) {
        return "ddl/migrations/v" + version + "/iceberg/" + t.tableName() + ".sql";
    }

    /** The {@code ALTER TABLE ... ADD} of the Paimon table. */
    public String paimonSql(LakeTable t) {
        return LakeTable.SqlResources.load(paimonResource(t));
    }

    /** The {@code ALTER TABLE ... ADD} of the Iceberg serving copy. */
    public String icebergSql(LakeTable t) {
        return LakeTable.SqlResources.load(icebergResource(t));
    }

    /** The schema version the lake tables have once every migration is applied. */
    public static int latestVersion() {
        int v = BASELINE_VERSION;
        for (LakeMigration m : values()) {
            v = Math.max(v, m.version);
        }
        return v;
    }
}
