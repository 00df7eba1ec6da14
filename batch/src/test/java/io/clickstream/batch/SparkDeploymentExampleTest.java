package io.clickstream.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** infra/deploy/spark's spark-submit example names a real job class and passes it only options BatchOptions parses. */
class SparkDeploymentExampleTest {
    private static final Path EXAMPLE = Path.of("..", "infra", "deploy", "spark", "spark-submit-k8s.sh");

    @Test
    void sparkSubmitExampleParses() throws Exception {
        List<String> lines = Files.readAllLines(EXAMPLE);
        String mainClass = lines.stream().filter(l -> l.trim().startsWith("--class ")).findFirst().orElseThrow()
            .trim().replace("--class ", "").replace("\\", "").trim();
        assertThat(Class.forName(mainClass)).isNotNull();
        int jar = indexOf(lines, "local://");
        List<String> args = new ArrayList<>();
        for (String l : lines.subList(jar + 1, lines.size())) {
            String arg = l.replace("\\", "").trim();
            if (arg.isEmpty()) {
                continue;
            }
            int space = arg.indexOf(' ');
            args.add(arg.substring(0, space));
            args.add(arg.substring(space + 1).replaceAll("^\"\\$\\{1:\\?.*}\"$", "2026-01-05T08"));
        }
        BatchOptions o = BatchOptions.parse(args.toArray(String[]::new));
        assertThat(o.warehouse).startsWith("s3a://");
        assertThat(o.hours).isNotEmpty();
    }

    private static int indexOf(List<String> lines, String needle) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(needle)) {
                return i;
            }
        }
        throw new AssertionError(needle + " not in " + EXAMPLE);
    }
}
