package io.clickstream.service;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import io.clickstream.loadgen.TopicSetup;
import io.clickstream.tables.AlertRuleStore;
import io.clickstream.tables.Topics;
import io.javalin.Javalin;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.Handler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The product's HTTP API as its own process: {@code POST /v1/events} (see {@link EventsEndpoint}),
 * {@code GET /v1/metrics/{metric}} (see {@link MetricsEndpoint}), the alert-rule routes under
 * {@code /v1/alert-rules} (see {@link AlertRulesEndpoint}),
 * {@code GET /v1/openapi.json} (the resource {@code openapi/openapi.json}, kept equal to the registered
 * routes by {@code OpenApiSyncTest}), {@code GET /v1/health} and {@code GET /metrics} (Prometheus, see
 * {@link ServiceMetrics}). Javalin 6 on Jetty 11, bound to
 * 127.0.0.1 unless {@code --bind-host} says otherwise.
 *
 * <p>{@code main} takes {@link ServiceApiOptions} ({@code --help} lists them), creates the API key file
 * with a new key on first start (printed once), and runs until SIGINT/SIGTERM, when it stops the
 * server and flushes the producer. Tests start it in-process with {@link #start}.
 */
public final class ApiServer implements AutoCloseable {
    /** Classpath location of the OpenAPI description. */
    public static final String OPENAPI_RESOURCE = "openapi/openapi.json";

    private final Javalin app;
    private final EventProducer producer;
    private final PaimonChangelogFeed feed;
    private final MinuteStore store;
    private final String host;

    private ApiServer(Javalin app, EventProducer producer, PaimonChangelogFeed feed, MinuteStore store, String host) {
        this.app = app;
        this.producer = producer;
        this.feed = feed;
        this.store = store;
        this.host = host;
    }

    /** The hot path's store, or null without {@code --paimon-warehouse}. */
    public MinuteStore hotStore() {
        return store;
    }

    /**
     * The Javalin app with every route registered (not started). {@code onRoute} sees each route as it
     * is registered: the OpenAPI sync test compares them with the description.
     */
    static Javalin createApp(ServiceApiOptions o, Handler postEvents, Handler getMetric, AlertRulesEndpoint alerts,
            Consumer<HandlerMetaInfo> onRoute) {
        return createApp(o, postEvents, getMetric, alerts, new ServiceMetrics(), onRoute);
    }

    /** As above, with the registry that {@code GET /metrics} serves and every answered request is counted in. */
    static Javalin createApp(ServiceApiOptions o, Handler postEvents, Handler getMetric, AlertRulesEndpoint alerts,
            ServiceMetrics serviceMetrics, Consumer<HandlerMetaInfo> onRoute) {
        byte[] openApi = openApi();
        Javalin app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.http.maxRequestSize = o.maxBodyBytes;
            c.jetty.defaultHost = o.bindHost;
            QueuedThreadPool pool = new QueuedThreadPool(o.httpThreads, Math.min(4, o.httpThreads));
            pool.setName("api-http");
            c.jetty.threadPool = pool;
            c.events.handlerAdded(onRoute);
            c.requestLogger.http(serviceMetrics::requestAnswered);
        });
        app.post("/v1/events", postEvents);
        app.get("/v1/metrics/{metric}", getMetric);
        app.post("/v1/alert-rules", alerts::create);
        app.get("/v1/alert-rules", alerts::list);
        app.get("/v1/alert-rules/{ruleId}", alerts::get);
        app.put("/v1/alert-rules/{ruleId}", alerts::replace);
        app.patch("/v1/alert-rules/{ruleId}", alerts::patch);
        app.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        app.get("/v1/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
        app.get("/metrics", serviceMetrics::serve);
        app.exception(Exception.class, (e, ctx) -> {
            if (AlertRulesEndpoint.isDatabaseFailure(e)) {
                EventsEndpoint.error(ctx, 503, "database_unavailable", "the alert-rule database failed: " + e.getMessage());
            } else {
                EventsEndpoint.error(ctx, 500, "internal_error", String.valueOf(e));
            }
        });
        return app;
    }

    /** The OpenAPI description's bytes. */
    public static byte[] openApi() {
        try (InputStream in = ApiServer.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the service with {@code keys}. The raw topic must exist (created by whoever runs the
     * broker, e.g. {@code TopicSetup}) unless {@code --create-topics true} (local stacks).
     */
    public static ApiServer start(ServiceApiOptions o, ApiKeys keys) {
        if (o.createTopics) {
            TopicSetup.ensureTopics(o.bootstrapServers, 4, o.topic, Topics.LATE, Topics.DLQ);
        }
        EventProducer producer = new EventProducer(o);
        MinuteStore store = o.paimonWarehouse.isEmpty() ? null : new MinuteStore(o.hotRetention.toMillis());
        PaimonChangelogFeed feed = store == null ? null
            : new PaimonChangelogFeed(o.paimonWarehouse, o.paimonDatabase, store, o.hotPollInterval).start();
        try {
            RateLimiter limiter = new RateLimiter(o.rateLimitEventsPerSecond, o.rateLimitBurst);
            ServiceMetrics serviceMetrics = new ServiceMetrics();
            EventsEndpoint events = new EventsEndpoint(o, keys, limiter, producer, System::currentTimeMillis, serviceMetrics);
            TrinoHistory history = o.trinoUrl.isEmpty() ? null : new TrinoHistory(o.trinoUrl, o.trinoUser, o.trinoPasswordFile);
            MetricsEndpoint metrics = new MetricsEndpoint(o, keys, store, history, System::currentTimeMillis);
            AlertRuleStore rules = o.alertRulesJdbcUrl.isEmpty() ? null
                : new AlertRuleStore(o.alertRulesJdbcUrl, o.alertRulesUser, o.alertRulesPassword).ensureSchema();
            Javalin app = createApp(o, events, metrics, new AlertRulesEndpoint(keys, rules), serviceMetrics, r -> { });
            app.start(o.bindHost, o.port);
            return new ApiServer(app, producer, feed, store, o.bindHost);
        } catch (RuntimeException e) {
            producer.close();
            closeFeed(feed);
            throw e;
        } catch (java.sql.SQLException e) {
            producer.close();
            closeFeed(feed);
            throw new IllegalStateException("creating alerting.alert_rules failed: " + e.getMessage(), e);
        }
    }

    public int port() {
        return app.port();
    }

    /** {@code http://host:port}. */
    public URI baseUri() {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** Stops accepting requests, then flushes and closes the producer. */
    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            producer.close();
            closeFeed(feed);
        }
    }

    private static void closeFeed(PaimonChangelogFeed feed) {
        if (feed != null) {
            try {
                feed.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code ApiServer --bootstrap-servers host:port [--port 8090] ...}; {@code --help} lists the options. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(ServiceApiOptions.describe());
            return;
        }
        ServiceApiOptions o = ServiceApiOptions.parse(args);
        ApiKeys.Loaded loaded = ApiKeys.loadOrCreate(o.apiKeysFile);
        loaded.createdKey().ifPresent(k -> System.out.println("Created " + o.apiKeysFile + " with a new API key (shown once, "
            + "only its SHA-256 is stored):\n  " + k));
        ApiServer server = start(o, loaded.keys());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "api-shutdown"));
        System.out.println("HTTP API on " + server.baseUri() + " (" + loaded.keys().size() + " API key(s)), producing to "
            + o.topic + " at " + o.bootstrapServers);
        stopped.await();
    }
}
