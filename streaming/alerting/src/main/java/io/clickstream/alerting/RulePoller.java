package io.clickstream.alerting;

import java.util.List;

import io.clickstream.tables.AlertRule;
import io.clickstream.tables.AlertRuleStore;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules source: every poll interval it reads {@code alerting.alert_rules} through the same
 * {@link AlertRuleStore} the HTTP API writes with, and emits the whole table as one {@link RuleSnapshot};
 * the matcher applies what changed (by version). A Flink {@link DataGeneratorSource}, rate-limited to one
 * element per interval, with this poll as its generator function (parallelism 1). A failed poll emits a
 * stale snapshot (nothing changes) and is logged; the job keeps the rules it had.
 */
public final class RulePoller implements GeneratorFunction<Long, RuleSnapshot> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RulePoller.class);

    private final String jdbcUrl;
    private final String user;
    private final String passwordFile;
    private transient AlertRuleStore store;

    public RulePoller(String jdbcUrl, String user, String passwordFile) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.passwordFile = passwordFile;
    }

    /** The source of {@code conf}'s rules table, polled every {@code alerting.rules.poll-interval}. */
    public static DataGeneratorSource<RuleSnapshot> source(Configuration conf) {
        double perSecond = 1000.0 / conf.get(AlertingOptions.RULES_POLL_INTERVAL).toMillis();
        return new DataGeneratorSource<>(new RulePoller(conf.get(AlertingOptions.RULES_JDBC_URL), conf.get(AlertingOptions.RULES_JDBC_USER),
            conf.get(AlertingOptions.RULES_JDBC_PASSWORD_FILE)), Long.MAX_VALUE, RateLimiterStrategy.perSecond(perSecond),
            TypeInformation.of(RuleSnapshot.class));
    }

    @Override
    public void open(SourceReaderContext readerContext) {
        Configuration c = new Configuration();
        c.set(AlertingOptions.RULES_JDBC_PASSWORD_FILE, passwordFile);
        store = new AlertRuleStore(jdbcUrl, user, AlertingOptions.password(c, AlertingOptions.RULES_JDBC_PASSWORD_FILE));
    }

    @Override
    public RuleSnapshot map(Long index) {
        long now = System.currentTimeMillis();
        try {
            List<AlertRule> rules = store.list(null);
            return RuleSnapshot.of(now, rules.stream().map(RuleSpec::of).toArray(RuleSpec[]::new));
        } catch (Exception e) {
            LOG.warn("Polling the alert rules failed; keeping the current rules: {}", e.toString());
            return RuleSnapshot.stale(now);
        }
    }

    /**
     * Watermarks of the rules stream: none until the first successful poll, then +infinity (minus one, so that
     * it never reads as end of input), so that the matcher's watermark, the lower of its two inputs, is the raw
     * events' alone once the rules are known. Until then the matcher holds back the records it reads (they
     * cannot be matched yet) and, through this, the watermark too: were it to pass on, the evaluator would close
     * windows before the held records reach it and count them as late (a replayed backlog would lose most of its
     * first minutes). The same on a fresh start and after a restore, so a restored job replays with the
     * watermarks of the run it replaces and fires the same alerts; while the rules table is unreachable at
     * start, windows wait for it.
     */
    public static WatermarkStrategy<RuleSnapshot> watermarks() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<>() {
            private boolean loaded;

            @Override
            public void onEvent(RuleSnapshot event, long eventTimestamp, WatermarkOutput output) {
                loaded |= !event.stale;
                onPeriodicEmit(output);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                if (loaded) {
                    output.emitWatermark(new Watermark(Long.MAX_VALUE - 1));
                }
            }
        });
    }
}
