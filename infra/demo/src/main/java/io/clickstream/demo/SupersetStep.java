package io.clickstream.demo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.clickstream.infra.lakehouse.BiQuery;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.loadgen.BiTruth;
import io.clickstream.loadgen.GroundTruth;
import io.clickstream.quality.LocalSuperset;

/**
 * The demo's BI front end: Apache Superset (its pinned venv, installed on first use) starts while the job
 * runs; once Trino serves the tables it imports the repository's dashboard (infra/superset/dashboard),
 * connected as the read-only BI user, reads every chart through Superset's chart data endpoint, compares
 * it with the truth, and prints the dashboard's URL. Superset runs until the demo ends.
 */
final class SupersetStep {
    private SupersetStep() {}

    /** Starts Superset in the background (its home under {@code dir}). */
    static CompletableFuture<LocalSuperset> start(Path dir) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return LocalSuperset.start(Path.of("").toAbsolutePath(), dir, Duration.ofMinutes(15));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Imports the dashboard against {@code trino} and checks each chart's rows against the truth. */
    static Map<String, Boolean> run(LocalSuperset superset, LocalTrino trino, String schema, GroundTruth truth) throws Exception {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        URI dashboard = superset.importDashboard(trino, schema);
        Map<String, List<List<String>>> expected = BiTruth.expected(truth);
        Map<String, Integer> charts = superset.charts();
        List<String> same = new ArrayList<>();
        for (BiQuery q : BiQuery.values()) {
            Integer id = charts.get(q.queryName());
            boolean equal = false;
            if (id != null) {
                List<String> sorted = sortedRows(superset.chartRows(id, superset.chartColumns(id)));
                equal = sorted.equals(sortedRows(expected.get(q.queryName())));
            }
            checks.put("Superset chart " + q.queryName() + " equals the truth", equal);
            same.add(q.queryName() + (equal ? "" : " MISMATCH"));
        }
        System.out.printf("      Superset at %s (pid %d): dashboard %s imported in %.1f s; charts read through its chart data API "
            + "equal the truth: %s%n      log in as %s, password in %s (mode 0600); it stops with the demo%n", superset.url(),
            superset.pid(), dashboard, (System.nanoTime() - t0) / 1e9, same, LocalSuperset.USER, superset.passwordFile());
        return checks;
    }

    private static List<String> sortedRows(List<List<String>> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(String.valueOf(r)));
        out.sort(null);
        return out;
    }
}
