package io.clickstream.infra.lakehouse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.clickstream.tables.LakeTable;

/**
 * Every setting of {@link TableMaintenance}: a typed value with a default and a description, parsed
 * from {@code --key value} arguments ({@link #describe()} lists them).
 */
public final class MaintenanceOptions {
    /** The maintenance steps, in the order they run. */
    public enum Step { COMPACT, EXPIRE_SNAPSHOTS, REMOVE_ORPHAN_FILES }

    private static final Pattern TRINO_DURATION = Pattern.compile("\\d+(\\.\\d+)?(ms|s|m|h|d)");
    private static final Pattern TRINO_SIZE = Pattern.compile("\\d+(B|kB|MB|GB)");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    public String trinoUrl = TrinoLogin.DEFAULT_ADMIN_URL;
    public String user = TrinoSecurity.ADMIN;
    public String passwordFile = TrinoLogin.defaultPasswordFile(TrinoSecurity.ADMIN);
    public List<String> tables = Arrays.stream(LakeTable.values()).map(LakeTable::tableName).toList();
    public List<String> days = List.of();
    public List<Step> steps = List.of(Step.values());
    public String fileSizeThreshold = "128MB";
    public String snapshotRetention = "7d";
    public String orphanRetention = "7d";
    public int retries = 3;
    public long retryBackoffMillis = 2_000;

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("trino-url", "trino-jdbc URL of the serving catalog and namespace (jdbc:trino://host:port/catalog/schema"
            + "?SSL=true&SSLTrustStorePath=...; default: the writable lakehouse_admin catalog of the long-running stack of "
            + "infra/bin/lakehouse.sh)");
        DESCRIPTIONS.put("user", "Trino user the maintenance runs as: one that owns the serving tables (default admin)");
        DESCRIPTIONS.put("password-file", "file holding that user's Trino password (or set $" + TrinoLogin.PASSWORD_ENV
            + "; never on the command line); default: the long-running stack's admin.password");
        DESCRIPTIONS.put("tables", "comma-separated serving tables (default: all)");
        DESCRIPTIONS.put("dt", "comma-separated day partitions (yyyy-MM-dd) to compact; required for the compact step. "
            + "Pass closed days: the stream's current day conflicts with its commits (retried, never corrupted)");
        DESCRIPTIONS.put("steps", "comma-separated steps: compact, expire_snapshots, remove_orphan_files (default: all)");
        DESCRIPTIONS.put("file-size-threshold", "compact rewrites files smaller than this (Trino data size, e.g. 128MB)");
        DESCRIPTIONS.put("snapshot-retention", "expire snapshots older than this (Trino duration, e.g. 7d, 1h)");
        DESCRIPTIONS.put("orphan-retention", "remove unreferenced files older than this (Trino duration; keep it above "
            + "the longest write, or in-flight files of a running commit are deleted)");
        DESCRIPTIONS.put("retries", "attempts per step after a failure such as a commit conflict with the streaming writer");
        DESCRIPTIONS.put("retry-backoff-ms", "wait before a retry, doubled each time");
    }

    public static MaintenanceOptions parse(String... args) {
        MaintenanceOptions o = new MaintenanceOptions();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            String v = args[i + 1];
            switch (key) {
                case "trino-url" -> o.trinoUrl = v;
                case "user" -> o.user = v;
                case "password-file" -> o.passwordFile = v;
                case "password" -> throw new IllegalArgumentException("--password is not accepted (command lines are visible "
                    + "to every user): use --password-file or $" + TrinoLogin.PASSWORD_ENV);
                case "tables" -> o.tables = list(v);
                case "dt" -> o.days = list(v);
                case "steps" -> o.steps = list(v).stream().map(s -> Step.valueOf(s.toUpperCase().replace('-', '_'))).toList();
                case "file-size-threshold" -> o.fileSizeThreshold = v;
                case "snapshot-retention" -> o.snapshotRetention = v;
                case "orphan-retention" -> o.orphanRetention = v;
                case "retries" -> o.retries = Integer.parseInt(v);
                case "retry-backoff-ms" -> o.retryBackoffMillis = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option --" + key + "\n" + describe());
            }
        }
        o.validate();
        return o;
    }

    /** Rejects values that would be spliced into SQL unchecked or that make a step meaningless. */
    public void validate() {
        List<String> known = Arrays.stream(LakeTable.values()).map(LakeTable::tableName).toList();
        for (String t : tables) {
            if (!known.contains(t)) {
                throw new IllegalArgumentException("unknown table " + t + "; known: " + known);
            }
        }
        for (String d : days) {
            if (!DAY.matcher(d).matches()) {
                throw new IllegalArgumentException("--dt must be yyyy-MM-dd: " + d);
            }
        }
        if (steps.contains(Step.COMPACT) && days.isEmpty()) {
            throw new IllegalArgumentException("the compact step needs explicit --dt partitions (it never picks 'today' itself)");
        }
        for (String d : List.of(snapshotRetention, orphanRetention)) {
            if (!TRINO_DURATION.matcher(d).matches()) {
                throw new IllegalArgumentException("not a Trino duration (e.g. 7d, 12h, 30m): " + d);
            }
        }
        if (!TRINO_SIZE.matcher(fileSizeThreshold).matches()) {
            throw new IllegalArgumentException("not a Trino data size (e.g. 128MB): " + fileSizeThreshold);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
    }

    public static String describe() {
        StringBuilder b = new StringBuilder("Table maintenance options (--key value):\n");
        DESCRIPTIONS.forEach((k, d) -> b.append(String.format("  --%-22s %s%n", k, d)));
        return b.toString();
    }

    private static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
