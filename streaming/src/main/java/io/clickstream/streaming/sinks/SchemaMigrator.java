package io.clickstream.streaming.sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.clickstream.tables.LakeMigration;
import io.clickstream.tables.LakeTable;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;

/**
 * Applies the lake schema migrations ({@link LakeMigration}, DDL files in {@code tables}) to the tables
 * of one catalog: the Paimon tables or their Iceberg serving copies. Both the job (before it plans its
 * inserts, so it never writes to an older table) and {@link io.clickstream.streaming.SchemaMigrationCommand}
 * (ahead of a job upgrade) call it.
 *
 * <p>Idempotent: a migration's {@code ALTER TABLE ... ADD} runs only when none of its columns exists (a
 * table holding some but not all of them is refused: that is no state a migration leaves), and the
 * table property {@link LakeMigration#VERSION_PROPERTY} is set only when it is below the migration's
 * version. A second run finds nothing to do and changes nothing.
 */
public final class SchemaMigrator {
    /** Which copy of the tables a catalog holds: selects the migration's DDL file. */
    public enum Lake { PAIMON, ICEBERG }

    private SchemaMigrator() {}

    /**
     * Migrates every table of every migration in {@code catalog}.{@code database} that exists, and
     * returns what it did, one line per change (empty when everything was already applied).
     */
    public static List<String> migrate(TableEnvironment tEnv, String catalog, String database, Lake lake) {
        List<String> done = new ArrayList<>();
        String previousCatalog = tEnv.getCurrentCatalog();
        String previousDb = tEnv.getCurrentDatabase();
        tEnv.useCatalog(catalog);
        tEnv.useDatabase(database);
        try {
            Catalog c = tEnv.getCatalog(catalog).orElseThrow();
            for (LakeMigration m : LakeMigration.values()) {
                for (LakeTable t : m.tables()) {
                    ObjectPath path = new ObjectPath(database, t.tableName());
                    if (!c.tableExists(path)) {
                        continue;
                    }
                    String where = lake + " " + catalog + "." + database + "." + t.tableName();
                    List<String> columns = tEnv.from(LakeSinks.quote(t.tableName())).getResolvedSchema().getColumnNames();
                    List<String> wanted = m.columns(t);
                    List<String> present = wanted.stream().filter(columns::contains).toList();
                    if (present.isEmpty()) {
                        tEnv.executeSql(lake == Lake.PAIMON ? m.paimonSql(t) : m.icebergSql(t));
                        done.add(where + ": added " + wanted + " (v" + m.version() + ")");
                    } else if (present.size() != wanted.size()) {
                        throw new IllegalStateException(where + " has " + present + " but not all of " + wanted
                            + " of schema v" + m.version() + ": not a state a migration leaves; repair the table by hand");
                    }
                    if (version(c, path) < m.version()) {
                        tEnv.executeSql("ALTER TABLE " + LakeSinks.quote(t.tableName()) + " SET ('"
                            + LakeMigration.VERSION_PROPERTY + "' = '" + m.version() + "')");
                        done.add(where + ": " + LakeMigration.VERSION_PROPERTY + " = " + m.version());
                    }
                }
            }
        } finally {
            tEnv.useCatalog(previousCatalog);
            tEnv.useDatabase(previousDb);
        }
        return done;
    }

    /** The schema version a table records ({@link LakeMigration#BASELINE_VERSION} if none). */
    public static int version(Catalog c, ObjectPath path) {
        try {
            CatalogBaseTable table = c.getTable(path);
            Map<String, String> options = table.getOptions();
            String v = options.get(LakeMigration.VERSION_PROPERTY);
            return v == null ? LakeMigration.BASELINE_VERSION : Integer.parseInt(v.strip());
        } catch (TableNotExistException e) {
            throw new IllegalStateException(e);
        }
    }
}
