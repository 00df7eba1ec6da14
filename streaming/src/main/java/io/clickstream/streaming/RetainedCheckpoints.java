package io.clickstream.streaming;

import java.io.IOException;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Finds the newest retained checkpoint under a checkpoint directory, for an operator restart after the
 * job's process died: {@code --from-latest-checkpoint <dir>}.
 *
 * <p>Flink keeps retained checkpoints as {@code <dir>/<job-id>/chk-N/_metadata}; every run has a new job
 * id, so the newest checkpoint is the {@code _metadata} written last across all job directories (the
 * checkpoint id breaks ties). A checkpoint without {@code _metadata} was not completed and is skipped.
 * {@code <dir>} may also be one job's directory. Uses Flink's file systems, so {@code s3://} and
 * {@code hdfs://} work where their plugins are installed.
 */
public final class RetainedCheckpoints {
    private RetainedCheckpoints() {}

    /** The newest completed checkpoint directory ({@code .../chk-N}) under {@code checkpointDir}. */
    public static String latest(String checkpointDir) throws IOException {
        Path root = new Path(checkpointDir);
        FileSystem fs = root.getFileSystem();
        if (!fs.exists(root)) {
            throw new IOException("no checkpoint directory " + checkpointDir);
        }
        Candidate best = null;
        for (FileStatus child : fs.listStatus(root)) {
            if (!child.isDir()) {
                continue;
            }
            if (isCheckpoint(child.getPath())) {
                best = newer(best, candidate(fs, child.getPath()));
            } else {
                for (FileStatus chk : fs.listStatus(child.getPath())) {
                    if (chk.isDir() && isCheckpoint(chk.getPath())) {
                        best = newer(best, candidate(fs, chk.getPath()));
                    }
                }
            }
        }
        if (best == null) {
            throw new IOException("no completed checkpoint (chk-N/_metadata) under " + checkpointDir);
        }
        return best.dir.toString();
    }

    private record Candidate(Path dir, long modified, long id) {}

    private static boolean isCheckpoint(Path p) {
        return p.getName().matches("chk-\\d+");
    }

    private static Candidate candidate(FileSystem fs, Path chk) throws IOException {
        Path metadata = new Path(chk, "_metadata");
        if (!fs.exists(metadata)) {
            return null;
        }
        return new Candidate(chk, fs.getFileStatus(metadata).getModificationTime(),
            Long.parseLong(chk.getName().substring("chk-".length())));
    }

    private static Candidate newer(Candidate a, Candidate b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        int c = Long.compare(a.modified, b.modified);
        return c > 0 || c == 0 && a.id >= b.id ? a : b;
    }
}
