package io.clickstream.infra.lakehouse;

/**
 * The environment variable {@code infra/bin/test.sh} sets to a fresh value for each run: every process the
 * run starts inherits it (launchers that reset the environment pass it on explicitly), so the process
 * check after the run finds exactly the run's survivors, never another user's processes.
 */
public final class ProcessTag {
    public static final String ENV = "CLICKSTREAM_PROCESS_TAG";

    private ProcessTag() {}
}
