package io.clickstream.batch;

import java.nio.file.Path;
import java.time.Duration;

import io.clickstream.infra.kafka.LocalKafkaBroker;
import io.clickstream.infra.lakehouse.LocalPostgres;
import org.apache.spark.sql.SparkSession;

/** What every batch ITCase runs on: a real broker, a real PostgreSQL catalog, a warehouse and a local SparkSession. */
final class BatchTestStack implements AutoCloseable {
    final LocalKafkaBroker broker;
    final LocalPostgres pg;
    final BatchOptions options;
    final SparkSession spark;

    private BatchTestStack(LocalKafkaBroker broker, LocalPostgres pg, BatchOptions options, SparkSession spark) {
        this.broker = broker;
        this.pg = pg;
        this.options = options;
        this.spark = spark;
    }

    static BatchTestStack start(Path tmp, String app) throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.start(tmp.resolve("kafka"), Duration.ofSeconds(60));
        LocalPostgres pg = LocalPostgres.startEphemeral(Duration.ofSeconds(60));
        BatchOptions o = new BatchOptions();
        o.jdbcUrl = pg.jdbcUrl();
        o.jdbcUser = LocalPostgres.USER;
        o.jdbcPassword = pg.password();
        o.warehouse = tmp.resolve("iceberg").toUri().toString();
        o.bootstrapServers = broker.bootstrapServers();
        o.commitBackoffMillis = 200;
        return new BatchTestStack(broker, pg, o, BatchSession.create(o, app));
    }

    @Override
    public void close() {
        spark.stop();
        pg.close();
        broker.close();
    }
}
