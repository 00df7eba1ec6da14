package io.clickstream.streaming.demo;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.clickstream.infra.lakehouse.BiQuery;
import io.clickstream.infra.lakehouse.LocalTrino;
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
        Map<String, List<List<String>>> expected = BiTruth.expected(truth);
        Map<String, Boolean> checks = new LinkedHashMap<>();
        System.out.printf("[6/6] BI queries through Trino (server started in %.1f s), %s as user 'demo':%n",
            trino.startTime().toMillis() / 1e3, trino.jdbcUrl(catalog.namespace()));
        List<Long> latencies = new ArrayList<>();
        try (Connection c = trino.connect(catalog.namespace(), "demo")) {
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
        return checks;
    }
}
