package io.clickstream.batch;


import org.apache.spark.sql.SparkSession;

/**
 * All batch jobs in one SparkSession, in dependency order: late correction (which also rebuilds the
 * rollups of the hours it touched), rollups of {@code --days}, reconciliation of {@code --days}.
 * What the demo runs after the stream, and a one-command backfill of whole days; the scheduler runs
 * the jobs separately ({@link LateCorrectionJob}, {@link RollupJob}, {@link ReconciliationJob}).
 * Prints each job's wall time.
 */
public final class BatchPipeline {
    private BatchPipeline() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println(BatchOptions.describe());
            return;
        }
        BatchOptions o = BatchOptions.parse(args);
        if (o.days.isEmpty()) {
            throw new IllegalArgumentException("give --days (the event-time days to roll up and the Kafka-time days to reconcile)");
        }
        long t0 = System.nanoTime();
        SparkSession spark = BatchSession.create(o, "clickstream-batch-pipeline");
        System.out.printf("BATCH spark session ready in %.1f s%n", seconds(t0));

        long t1 = System.nanoTime();
        LateCorrectionJob.Result c = LateCorrectionJob.run(spark, o);
        System.out.printf("BATCH late correction in %.1f s: late topic ranges %s, %,d late records, %,d minute keys affected, "
                + "%,d rows changed (%,d deferred: window still open), %d hours re-rolled; sessions: %,d (user, day) pairs, %,d session "
                + "rows and %,d funnel rows changed, %,d pairs deferred%n", seconds(t1), LateCorrectionJob.describe(c.ranges()),
            c.lateRecords(), c.affectedMinutes(), c.changedMinutes(), c.deferredMinutes(), c.affectedHours().size(),
            c.sessions().userDays(), c.sessions().sessionChanges(), c.sessions().funnelChanges(), c.sessions().deferredUserDays());

        long t2 = System.nanoTime();
        RollupJob.Result r = RollupJob.run(spark, o, BatchOptions.hoursOf(o.days), o.days);
        System.out.printf("BATCH rollups in %.1f s: %d hours (%,d rows), %d days (%,d rows)%n", seconds(t2), r.hours().size(),
            r.hourRows(), r.days().size(), r.dayRows());

        long t3 = System.nanoTime();
        ReconciliationJob.Result rec = ReconciliationJob.run(spark, o);
        System.out.printf("BATCH reconciliation in %.1f s: %,d (hour, partition) ranges, %,d expected = %,d raw + %,d DLQ + %,d "
                + "unexplained; %d flagged metrics%n", seconds(t3), rec.ranges(), rec.expected(), rec.raw(), rec.dlq(),
            rec.unexplained(), rec.flaggedMetrics());
        System.out.printf("BATCH total %.1f s, %d MERGE retries after commit races%n", seconds(t0), BatchSession.COMMIT_RETRIES.get());
        spark.stop();
        System.exit(rec.unexplained() == 0 ? 0 : 2);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
