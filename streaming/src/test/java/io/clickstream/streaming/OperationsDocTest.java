package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.clickstream.infra.lakehouse.LocalPrometheus;
import io.clickstream.streaming.metrics.PipelineMetric;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/OPERATIONS.md} and the Prometheus rules agree with the one definition of the job's metrics
 * ({@link PipelineMetric}): the metric table lists exactly those metrics with their type, labels and
 * meaning; every job metric a rule uses exists; every alert has a runbook entry where its annotation points.
 */
class OperationsDocTest {
    private static final Path DOC = Path.of("../docs/OPERATIONS.md");

    @Test
    void metricTableListsExactlyThePipelineMetrics() throws Exception {
        String doc = Files.readString(DOC);
        String section = doc.substring(doc.indexOf("### The streaming job's own metrics"), doc.indexOf("### Flink's metrics the rules use"));
        List<String> rows = new ArrayList<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("| `")) {
                rows.add(line);
            }
        }
        List<String> expected = new ArrayList<>();
        for (PipelineMetric m : PipelineMetric.values()) {
            String labels = String.join(", ", m.labels().stream().map(l -> "`" + l + "`").toList());
            expected.add("| `" + m.prometheusName() + "` | " + m.type().name().toLowerCase(Locale.ROOT) + " | " + labels + " | " + m.help() + " |");
        }
        assertThat(rows.stream().map(r -> r.replace(" |  | ", " | | ")).toList())
            .containsExactlyElementsOf(expected.stream().map(r -> r.replace(" |  | ", " | | ")).toList());
    }

    @Test
    void rulesUseOnlyDefinedJobMetrics() throws Exception {
        Set<String> defined = new TreeSet<>();
        for (PipelineMetric m : PipelineMetric.values()) {
            defined.add(m.prometheusName());
        }
        Set<String> used = new TreeSet<>();
        for (String file : LocalPrometheus.RULE_FILES) {
            Matcher m = Pattern.compile(Pattern.quote(PipelineMetric.PREFIX) + "[a-z_]+").matcher(LocalPrometheus.resource(file));
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(defined).containsAll(used);
        assertThat(used).as("rules use the job's metrics").isNotEmpty();
    }

    @Test
    void everyAlertHasARunbookEntry() throws Exception {
        String doc = Files.readString(DOC);
        Set<String> anchors = new TreeSet<>();
        Matcher h = Pattern.compile("(?m)^### (.+)$").matcher(doc);
        while (h.find()) {
            anchors.add(h.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
        }
        String alerts = LocalPrometheus.resource("rules/alerts.yml");
        Matcher a = Pattern.compile("- alert: (\\w+)").matcher(alerts);
        Matcher r = Pattern.compile("runbook: docs/OPERATIONS\\.md#([a-z0-9-]+)").matcher(alerts);
        List<String> runbooks = new ArrayList<>();
        while (r.find()) {
            runbooks.add(r.group(1));
        }
        int n = 0;
        while (a.find()) {
            n++;
        }
        assertThat(runbooks).hasSize(n);
        assertThat(anchors).containsAll(runbooks);
        assertThat(anchors).contains("reconciliation-missing", "correction-backlog");
    }
}
