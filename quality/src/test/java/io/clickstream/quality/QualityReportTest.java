package io.clickstream.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report makes a dropped range or a double count obvious: banner, red grid cells, verdict. */
class QualityReportTest {
    @TempDir
    Path tmp;

    @Test
    void balancedOffsetsGiveAGreenReport() throws Exception {
        QualityReport.Summary s = QualityReport.render(results(0, 0), List.of("2026-01-05"), tmp.resolve("ok.html"), "t");
        String html = Files.readString(s.file());
        assertThat(s.ok()).isTrue();
        assertThat(html).contains("Every offset of clicks.raw is accounted for").doesNotContain("class=\"bad\"")
            .doesNotContain("banner bad")
            .contains("data:image/png;base64,")
            .contains("4 originals replayed").contains("<td>INVALID_VALUE</td>").doesNotContain("(no DLQ row)");
    }

    @Test
    void aDroppedRangeIsRedInTheBannerAndTheGrid() throws Exception {
        QualityReport.Summary s = QualityReport.render(results(1, 40), List.of("2026-01-05"), tmp.resolve("bad.html"), "t");
        String html = Files.readString(s.file());
        assertThat(s.ok()).isFalse();
        assertThat(s.unexplained()).isEqualTo(40);
        assertThat(html).contains("UNEXPLAINED OFFSETS").contains("<td class=\"bad\" title=\"expected 500, raw 455, DLQ 5\">40</td>");
        assertThat(html).contains("<div class=\"banner bad\">");
        assertThat(html.split("<td class=\"bad\"", -1)).as("exactly one red cell").hasSize(2);
    }

    @Test
    void aDoubleCountIsRedToo() throws Exception {
        QualityReport.Summary s = QualityReport.render(results(2, -7), List.of("2026-01-05"), tmp.resolve("double.html"), "t");
        assertThat(s.ok()).isFalse();
        assertThat(Files.readString(s.file())).contains(">-7</td>");
    }

    /** Two hours x three partitions of 500 records; {@code brokenPartition} of hour 09 has {@code unexplained}. */
    private static Map<String, List<Map<String, Object>>> results(int brokenPartition, long unexplained) {
        List<Map<String, Object>> cells = new ArrayList<>();
        long total = 0;
        for (String hour : List.of("2026-01-05 08:00", "2026-01-05 09:00")) {
            for (int p = 0; p < 3; p++) {
                long u = hour.endsWith("09:00") && p == brokenPartition ? unexplained : 0;
                cells.add(row("hour", hour, "kafka_partition", p, "expected_records", 500L, "raw_rows", 495L - u, "dlq_rows", 5L,
                    "unexplained", u, "duplicate_rows", 3L, "late_events", 1L, "status", u == 0 ? "OK" : u > 0 ? "MISSING" : "EXTRA"));
                total += u;
            }
        }
        Map<String, List<Map<String, Object>>> r = new LinkedHashMap<>();
        r.put("summary", List.of(row("expected_records", 3000L, "raw_rows", 2970L - total, "dlq_rows", 30L, "unexplained", total,
            "duplicate_rows", 18L, "late_events", 6L, "problem_ranges", total == 0 ? 0L : 1L, "ranges", 6L)));
        r.put("reconciliation_cells", cells);
        r.put("metrics", List.of(
            row("hour", "2026-01-05 08:00", "metric", "dlq_rate", "value", 0.01, "baseline_mean", null, "baseline_std", null,
                "z_score", null, "flagged", false),
            row("hour", "2026-01-05 09:00", "metric", "unexplained", "value", (double) total, "baseline_mean", 0.0, "baseline_std",
                0.0, "z_score", null, "flagged", total != 0)));
        r.put("dlq_reasons", List.of(row("reason", "MALFORMED_JSON", "records", 20L), row("reason", "OVERSIZED", "records", 10L)));
        r.put("dlq_replays", List.of(row("reason", "MALFORMED_JSON", "dlq_records", 20L, "replayed", 0L, "replay_raw_rows", 0L,
            "still_in_dlq", 20L), row("reason", "INVALID_VALUE", "dlq_records", 10L, "replayed", 4L, "replay_raw_rows", 4L,
            "still_in_dlq", 6L)));
        r.put("lateness", List.of(row("bucket", "0: < 5 s", "records", 2900L), row("bucket", "5: 1-2 h", "records", 6L)));
        r.put("corrections", List.of());
        r.put("freshness", List.of(row("table_name", "raw_events", "snapshots", 12L, "last_commit", "2026-01-05 10:00",
            "median_commit_gap_s", 10.0)));
        return r;
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
