package io.clickstream.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** The production examples under infra/deploy/flink use the job's real entry class and only options it knows. */
class DeploymentExamplesTest {
    private static final Path FLINK_EXAMPLES = Path.of("..", "infra", "deploy", "flink");
    private static final Pattern OPTION = Pattern.compile("--(clickstream\\.[a-z0-9.-]+)");

    @Test
    void flinkDeploymentUsesTheJobClassAndKnownOptions() throws Exception {
        List<String> known = StreamingOptions.all().stream().map(ConfigOption::key).toList();
        List<Path> examples;
        try (var files = Files.list(FLINK_EXAMPLES)) {
            examples = files.filter(f -> f.toString().endsWith(".yaml")).toList();
        }
        assertThat(examples).isNotEmpty();
        for (Path f : examples) {
            String yaml = Files.readString(f);
            assertThat(yaml).as(f.toString()).contains("entryClass: " + ClickstreamJob.class.getName());
            List<String> used = new ArrayList<>();
            Matcher m = OPTION.matcher(yaml);
            while (m.find()) {
                used.add(m.group(1));
            }
            assertThat(used).as(f + ": options of the job").isNotEmpty();
            assertThat(known).as(f + ": every option is one of StreamingOptions").containsAll(used);
        }
    }
}
