package io.clickstream.infra.lakehouse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) with the project's configuration
 * ({@code infra/conf/prometheus}: scrape config, recording and alert rules), started on a free loopback
 * port for the demo and the tests. Its TSDB lives under the given work directory.
 *
 * <p>The scrape config is the repository's {@code prometheus.yml} with only the {@code targets} of each
 * {@code job_name} and the global intervals replaced by this run's values, so what the tests exercise is
 * what a long-running stack uses. Like the other servers it runs in its own process group tied to this
 * JVM ({@link TiedProcess}) and stops with it.
 */
public final class LocalPrometheus implements AutoCloseable {
    /** Classpath folder of the project's Prometheus configuration (copied from {@code infra/conf/prometheus}). */
    public static final String RESOURCES = "prometheus/";
    /** The rule files, relative to the configuration folder, as {@code prometheus.yml} lists them. */
    public static final List<String> RULE_FILES = List.of("rules/recording.yml", "rules/alerts.yml");
    /** Scrape job names of {@code prometheus.yml}. */
    public static final String JOB_FLINK = "flink";
    public static final String JOB_API = "clickstream-api";
    public static final String JOB_PROMETHEUS = "prometheus";

    private final TiedProcess process;
    private final int port;
    private final Path workDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalPrometheus(TiedProcess process, int port, Path workDir) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
    }

    /**
     * Writes the configuration into {@code workDir} and starts Prometheus on a free port of the bind host,
     * scraping {@code targets} (scrape job name to {@code host:port} list; jobs not given keep no targets)
     * every {@code scrapeInterval} and evaluating rules as often.
     */
    public static LocalPrometheus start(Path workDir, Map<String, List<String>> targets, Duration scrapeInterval,
            Duration timeout) throws IOException {
        Path binary = binary();
        Files.createDirectories(workDir);
        int port = Ports.free();
        Map<String, List<String>> all = new LinkedHashMap<>(targets);
        all.putIfAbsent(JOB_PROMETHEUS, List.of(ServiceOptions.bindHost() + ":" + port));
        Path config = writeConfig(workDir, all, scrapeInterval);
        Path log = workDir.resolve("prometheus.log");
        TiedProcess p = TiedProcess.start("prometheus", List.of(binary.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + workDir.resolve("data"),
            "--web.listen-address=" + ServiceOptions.bindHost() + ":" + port,
            "--storage.tsdb.retention.time=1d",
            "--log.level=warn"), workDir, log, "TERM", ServiceOptions.stopGrace(), Map.of());
        LocalPrometheus prometheus = new LocalPrometheus(p, port, workDir);
        if (!Ports.await(prometheus::ready, p::isAlive, timeout)) {
            prometheus.close();
            throw new IOException("Prometheus did not start within " + timeout + "; log: " + log + "\n" + tail(log));
        }
        return prometheus;
    }

    /**
     * Copies the project's configuration into {@code dir} (rule files included) with the given scrape
     * targets and intervals; returns the path of the rendered {@code prometheus.yml}.
     */
    public static Path writeConfig(Path dir, Map<String, List<String>> targets, Duration interval) throws IOException {
        Files.createDirectories(dir.resolve("rules"));
        for (String rules : RULE_FILES) {
            Files.writeString(dir.resolve(rules), resource(rules));
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, render(resource("prometheus.yml"), targets, interval));
        return config;
    }

    /** The repository's {@code prometheus.yml} with the targets of the given jobs and both global intervals replaced. */
    static String render(String template, Map<String, List<String>> targets, Duration interval) {
        String seconds = interval.toMillis() % 1000 == 0 ? interval.toSeconds() + "s" : interval.toMillis() + "ms";
        String out = template.replaceAll("(?m)^(  (scrape|evaluation)_interval: ).*$", "$1" + seconds);
        for (Map.Entry<String, List<String>> e : targets.entrySet()) {
            Pattern job = Pattern.compile("(- job_name: " + Pattern.quote(e.getKey()) + "\\n(?:(?!  - job_name).*\\n)*?\\s*- targets: )\\[[^\\]]*\\]");
            Matcher m = job.matcher(out);
            if (!m.find()) {
                throw new IllegalArgumentException("no scrape job " + e.getKey() + " in prometheus.yml");
            }
            String list = e.getValue().stream().map(t -> "'" + t + "'").reduce((a, b) -> a + ", " + b).orElse("");
            out = out.substring(0, m.start()) + m.group(1) + "[" + list + "]" + out.substring(m.end());
        }
        return out;
    }

    /** Text of a file of the project's Prometheus configuration, e.g. {@code rules/alerts.yml}. */
    public static String resource(String name) throws IOException {
        try (InputStream in = LocalPrometheus.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException(RESOURCES + name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The {@code prometheus} binary of the Debian package. */
    public static Path binary() throws IOException {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, "prometheus");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IOException("prometheus not found: install the Debian package 'prometheus' (infra/bin/ensure-tools.sh does)");
    }

    /** Base URL of the web UI and HTTP API. */
    public String url() {
        return "http://" + (ServiceOptions.bindHost().equals("0.0.0.0") ? "127.0.0.1" : ServiceOptions.bindHost()) + ":" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.serverPid();
    }

    public Path workDir() {
        return workDir;
    }

    /** The raw JSON answer of an instant query ({@code /api/v1/query}) evaluated now. */
    public String query(String promql) throws IOException {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** The raw JSON answer of a GET on the HTTP API, e.g. {@code /api/v1/targets} or {@code /api/v1/rules}. */
    public String get(String pathAndQuery) throws IOException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("Prometheus answered " + r.statusCode() + " to " + pathAndQuery + ": " + r.body());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        } catch (IOException e) {
            return "";
        }
    }
}
