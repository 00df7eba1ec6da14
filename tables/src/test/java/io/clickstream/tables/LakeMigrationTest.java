package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every migration adds exactly its columns, nullable, the same to the Paimon table and its Iceberg copy,
 * and the lake reaches the newest event schema version.
 */
class LakeMigrationTest {
    private static final Pattern COLUMN = Pattern.compile("(?m)^\\s+(\\w+)\\s+([A-Z]+(?:<[A-Z, ]+>)?)(\\s+NOT NULL)?");

    @Test
    void migrationsAddNullableColumnsOnly() {
        for (LakeMigration m : LakeMigration.values()) {
            for (LakeTable t : m.tables()) {
                String paimon = m.paimonSql(t);
                String iceberg = m.icebergSql(t);
                assertThat(paimon).startsWith("ALTER TABLE " + t.tableName() + " ADD (").doesNotContain("--").doesNotEndWith(";");
                assertThat(iceberg).isEqualTo(paimon);
                List<String> names = new ArrayList<>();
                Matcher c = COLUMN.matcher(paimon);
                while (c.find()) {
                    assertThat(c.group(3)).as("%s.%s must be nullable", t.tableName(), c.group(1)).isNull();
                    names.add(c.group(1));
                }
                assertThat(names).as(m.paimonResource(t)).containsExactlyElementsOf(m.columns(t));
                assertThat(t.paimonDdl()).as("the CREATE file keeps the baseline shape").doesNotContain(" " + names.get(0) + " ");
            }
        }
        assertThat(LakeMigration.V3.columns(LakeTable.EVENTS_DEDUP)).containsExactly("campaign", "experiment_id", "properties");
        assertThat(LakeMigration.V3.columns(LakeTable.RAW_EVENTS)).containsExactly("campaign", "experiment_id", "properties",
            "replay_of_partition", "replay_of_offset");
        assertThat(LakeMigration.V3.tables()).containsExactly(LakeTable.RAW_EVENTS, LakeTable.EVENTS_DEDUP);
        assertThat(LakeMigration.latestVersion()).isEqualTo(ClickEventSchema.LATEST_VERSION);
    }
}
