package io.clickstream.infra.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout the cluster runs from: its scripts, configuration and built artifacts. Found upwards from the
 * working directory, so that launchers work from the repository root (the scripts) and from a module (tests).
 */
public final class Repository {
    private Repository() {}

    /** The nearest directory at or above the working directory that holds {@code infra/bin/cluster.sh}. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("infra/bin/cluster.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the clickstream repository (no infra/bin/cluster.sh above "
            + Path.of("").toAbsolutePath() + ")");
    }

    /** A path of the repository, e.g. {@code resolve("infra/conf/flink-java17.options")}. */
    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
