package io.clickstream.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Every option parses, is described, and impossible combinations are refused. */
class ServiceApiOptionsTest {
    @Test
    void everyOptionParsesAndIsDescribed(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path pw = java.nio.file.Files.writeString(tmp.resolve("pw"), "s3cret\n");
        ServiceApiOptions o = ServiceApiOptions.parse("--bind-host", "127.0.0.2", "--port", "0", "--bootstrap-servers", "h:1",
            "--topic", "t", "--api-keys-file", "/tmp/k", "--max-body-bytes", "1000", "--max-batch-events", "10",
            "--max-payload-bytes", "500", "--max-future-skew", "PT1M", "--rate-limit-events-per-second", "5",
            "--rate-limit-burst", "10", "--produce-timeout", "PT3S", "--producer-linger", "PT0.005S", "--http-threads", "4", "--create-topics", "true",
            "--paimon-warehouse", "file:/w", "--paimon-database", "db", "--hot-retention", "PT1H", "--hot-poll-interval", "PT1S",
            "--allowed-lateness", "PT3M", "--trino-url", "jdbc:trino://h:1/c/s", "--trino-user", "u", "--trino-password-file", "/tmp/tp",
            "--alert-rules-jdbc-url", "jdbc:postgresql://h:1/db", "--alert-rules-user", "au", "--alert-rules-password-file", pw.toString());
        assertThat(o.bindHost).isEqualTo("127.0.0.2");
        assertThat(o.port).isZero();
        assertThat(o.bootstrapServers).isEqualTo("h:1");
        assertThat(o.topic).isEqualTo("t");
        assertThat(o.apiKeysFile).isEqualTo(Path.of("/tmp/k"));
        assertThat(o.maxBodyBytes).isEqualTo(1000);
        assertThat(o.maxBatchEvents).isEqualTo(10);
        assertThat(o.maxPayloadBytes).isEqualTo(500);
        assertThat(o.maxFutureSkew).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.rateLimitEventsPerSecond).isEqualTo(5.0);
        assertThat(o.rateLimitBurst).isEqualTo(10);
        assertThat(o.produceTimeout).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.producerLinger).isEqualTo(Duration.ofMillis(5));
        assertThat(o.httpThreads).isEqualTo(4);
        assertThat(o.createTopics).isTrue();
        assertThat(o.paimonWarehouse).isEqualTo("file:/w");
        assertThat(o.paimonDatabase).isEqualTo("db");
        assertThat(o.hotRetention).isEqualTo(Duration.ofHours(1));
        assertThat(o.hotPollInterval).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.allowedLateness).isEqualTo(Duration.ofMinutes(3));
        assertThat(o.trinoUrl).isEqualTo("jdbc:trino://h:1/c/s");
        assertThat(o.trinoPasswordFile).isEqualTo("/tmp/tp");
        assertThat(o.trinoUser).isEqualTo("u");
        assertThat(o.alertRulesJdbcUrl).isEqualTo("jdbc:postgresql://h:1/db");
        assertThat(o.alertRulesUser).isEqualTo("au");
        assertThat(o.alertRulesPassword).isEqualTo("s3cret");
        String help = ServiceApiOptions.describe();
        assertThat(ServiceApiOptions.names()).hasSize(26).allSatisfy(n -> assertThat(help).contains("--" + n + " "));
    }

    @Test
    void defaultsBindLoopbackAndMatchTheStreamJobsParser() {
        ServiceApiOptions d = ServiceApiOptions.parse();
        assertThat(d.bindHost).isEqualTo("127.0.0.1");
        assertThat(d.maxPayloadBytes).isEqualTo(32 * 1024);
        assertThat(d.maxFutureSkew).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void impossibleSettingsAreRefused() {
        assertThatThrownBy(() -> ServiceApiOptions.parse("--max-batch-events", "100", "--rate-limit-burst", "99"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("could never be admitted");
        assertThatThrownBy(() -> ServiceApiOptions.parse("--nope", "1")).hasMessageStartingWith("unknown option --nope");
        assertThatThrownBy(() -> ServiceApiOptions.parse("--port")).hasMessageStartingWith("missing value for --port");
    }
}
