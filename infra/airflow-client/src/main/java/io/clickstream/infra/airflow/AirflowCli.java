package io.clickstream.infra.airflow;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator command for the clickstream DAGs over Airflow's REST API:
 * <pre>
 *   trigger  &lt;dag&gt; [--logical-date 2026-01-05T09:00:00Z] [--wait]
 *   status   &lt;dag&gt; [--limit 10]
 *   backfill &lt;dag&gt; &lt;from yyyy-MM-dd&gt; &lt;to yyyy-MM-dd&gt;
 * </pre>
 * Connection: {@code --url} (default http://127.0.0.1:8080), {@code --user} (admin), password from
 * {@code $AIRFLOW_PASSWORD} or else the passwords file {@code --password-file} (default
 * {@code target/airflow/home/passwords.json}, written by {@code infra/bin/airflow.sh standalone}); there is
 * no default password.
 */
public final class AirflowCli {
    private AirflowCli() {}

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        String url = "http://127.0.0.1:8080";
        String user = LocalAirflow.USER;
        java.nio.file.Path passwordFile = AirflowPassword.DEFAULT_FILE;
        String logicalDate = null;
        int limit = 10;
        boolean wait = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--user" -> user = args[++i];
                case "--password-file" -> passwordFile = java.nio.file.Path.of(args[++i]);
                case "--logical-date" -> logicalDate = args[++i];
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--wait" -> wait = true;
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() < 2) {
            System.err.println("usage: trigger|status|backfill <dag> [...]; see the class documentation");
            System.exit(64);
        }
        String password;
        try {
            password = AirflowPassword.resolve(user, passwordFile);
        } catch (java.io.IOException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        AirflowClient c = new AirflowClient(URI.create(url), user, password);
        String dag = positional.get(1);
        switch (positional.get(0)) {
            case "trigger" -> {
                c.setPaused(dag, false);
                AirflowClient.DagRun r = c.trigger(dag, logicalDate == null ? null : Instant.parse(logicalDate), Map.of());
                System.out.println("triggered " + r.runId() + " (" + r.state() + ")");
                if (wait) {
                    r = c.await(dag, r.runId(), Duration.ofHours(2));
                    System.out.println(r.runId() + " " + r.state());
                    System.exit(r.state().equals("success") ? 0 : 1);
                }
            }
            case "status" -> {
                for (AirflowClient.DagRun r : c.dagRuns(dag, limit)) {
                    System.out.printf("%-45s %-8s interval %s .. %s, ran %s .. %s%n", r.runId(), r.state(), r.dataIntervalStart(),
                        r.dataIntervalEnd(), r.startDate(), r.endDate());
                }
            }
            case "backfill" -> {
                c.setPaused(dag, false);
                long id = c.backfill(dag, LocalDate.parse(positional.get(2)), LocalDate.parse(positional.get(3)));
                System.out.println("backfill " + id + " created for " + dag + " " + positional.get(2) + " .. " + positional.get(3));
            }
            default -> {
                System.err.println("unknown command " + positional.get(0));
                System.exit(64);
            }
        }
    }
}
