package io.clickstream.demo;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.clickstream.infra.lakehouse.BiQuery;
import io.clickstream.infra.lakehouse.MaintenanceOptions;
import io.clickstream.infra.lakehouse.TableMaintenance;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.TrinoSecurity;
import io.clickstream.infra.lakehouse.ServingCatalog;
import io.clickstream.loadgen.BiTruth;
import io.clickstream.loadgen.GroundTruth;

/**
 * The demo's last step: runs every named BI query through trino-jdbc against the Iceberg serving
 * tables, prints the results and whether each equals the result computed from the generated input.
 */
final class BiReport {
    private static final int MAX_PRINTED_ROWS = 12;

    private BiReport() {}

    static Map<String, Boolean> run(LocalTrino trino, ServingCatalog catalog, GroundTruth truth) throws Exception {
        return run(trino, catalog, truth, true);
    }

    /**
     * The BI queries against the truth, then (if {@code maintenance}) table maintenance through Trino and the
     * queries again. Tests whose subject is not maintenance skip it (ServingITCase covers it).
     */
    static Map<String, Boolean> run(LocalTrino trino, ServingCatalog catalog, GroundTruth truth, boolean maintenance)
            throws Exception {
        Map<String, List<List<String>>> expected = BiTruth.expected(truth);
        Map<String, Boolean> checks = new LinkedHashMap<>();
        System.out.printf("[6/10] BI queries through Trino (server started in %.1f s), %s as the read-only user '" + TrinoSecurity.BI + "':%n",
            trino.startTime().toMillis() / 1e3, trino.jdbcUrl(catalog.namespace()));
        List<Long> latencies = new ArrayList<>();
        try (Connection c = trino.connectBi(catalog.namespace())) {
            for (BiQuery q : BiQuery.values()) {
                BiQuery.Result r = q.run(c);
                latencies.add(r.millis());
                boolean same = r.rows().equals(expected.get(q.queryName()));
                checks.put("BI query " + q.queryName() + " through Trino equals the truth", same);
                System.out.printf("%n  -- %s (%s): %d rows in %d ms; equals the truth: %s%n", q.queryName(), q.resource(),
                    r.rows().size(), r.millis(), same ? "yes" : "MISMATCH");
                BiQuery.Result shown = new BiQuery.Result(r.columns(),
                    r.rows().subList(0, Math.min(MAX_PRINTED_ROWS, r.rows().size())), r.millis());
                System.out.print(shown.render());
                if (r.rows().size() > MAX_PRINTED_ROWS) {
                    System.out.printf("  ... %d more rows%n", r.rows().size() - MAX_PRINTED_ROWS);
                }
                if (!same) {
                    System.out.println("  expected: " + expected.get(q.queryName()));
                }
            }
        }
        latencies.sort(null);
        System.out.printf("%n  query latency over %d queries: p50 %d ms, max %d ms%n", latencies.size(),
            latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));

        if (!maintenance) {
            return checks;
        }
        try (Connection c = trino.connectAdmin(catalog.namespace())) {
            MaintenanceOptions o = new MaintenanceOptions();
            o.days = TableMaintenance.partitionDays(c, o.tables);
            o.snapshotRetention = "0s";
            o.orphanRetention = "1h";
            System.out.printf("%n  Table maintenance through Trino (compact %s, expire snapshots, remove orphan files):%n", o.days);
            for (TableMaintenance.Outcome r : TableMaintenance.run(c, o)) {
                System.out.printf("    %-16s data files %3d -> %d, delete files applied on read %3d -> %d, snapshots %3d -> %d, "
                        + "%,d -> %,d bytes, %d ms%n", r.table(), r.before().dataFiles(), r.after().dataFiles(),
                    r.before().effectiveDeleteFiles(), r.after().effectiveDeleteFiles(), r.before().snapshots(),
                    r.after().snapshots(), r.before().bytes(), r.after().bytes(), r.millis());
            }
            boolean unchanged = true;
            for (BiQuery q : BiQuery.values()) {
                unchanged &= q.run(c).rows().equals(expected.get(q.queryName()));
            }
            System.out.printf("    every BI query still equals the truth after maintenance: %s%n", unchanged ? "yes" : "MISMATCH");
            checks.put("BI queries unchanged by table maintenance", unchanged);
        }
        return checks;
    }
}
