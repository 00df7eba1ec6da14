package io.clickstream.quality;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clickstream.infra.lakehouse.BiQuery;
import io.clickstream.infra.lakehouse.LocalTrino;
import io.clickstream.infra.lakehouse.Ports;
import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.infra.lakehouse.TiedProcess;
import io.clickstream.infra.lakehouse.TrinoSecurity;

/**
 * A real Apache Superset (6.1.0, its own pinned virtual environment, {@code infra/bin/superset.sh}) on a
 * free loopback port: the BI front end over the lakehouse's Trino. It imports the dashboard that the
 * repository keeps as code ({@code infra/superset/dashboard}: database, datasets, charts, dashboard as
 * Superset's export YAML) through the REST API and reads each chart's data back through the chart data
 * endpoint, as the dashboard does.
 *
 * <p>The bundle's placeholders are filled at import: {@code ${trino_host_port}} and {@code ${trino_pem}} (the
 * stack's TLS endpoint and certificate), {@code ${schema}}, and {@code ${bi_sql:<query>}} with the text of
 * the named BI query ({@link BiQuery}), so each dataset is exactly the query the BI tests check. Superset
 * connects as the read-only {@code bi} user; its password travels in the import request, never in a file of
 * the repository. Superset's admin password is generated ({@code admin.password}, 0600, in its home).
 * The server runs in its own process group tied to this JVM ({@link TiedProcess}).
 */
public final class LocalSuperset implements AutoCloseable {
    public static final String USER = "admin";
    /** Folder of the dashboard bundle, relative to the repository. */
    public static final String BUNDLE = "infra/superset/dashboard";
    /** The bundle's database file, the key of its password in an import. */
    static final String DATABASE_FILE = "databases/clickstream_lakehouse.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TiedProcess process;
    private final URI url;
    private final Path repo;
    private final Path home;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    private LocalSuperset(TiedProcess process, URI url, Path repo, Path home) {
        this.process = process;
        this.url = url;
        this.repo = repo;
        this.home = home;
    }

    /** Installs Superset if needed (pinned venv), starts it with its home in {@code home}, and waits until it is healthy. */
    public static LocalSuperset start(Path repo, Path home, Duration timeout) throws IOException, InterruptedException {
        Path root = repo.toAbsolutePath().normalize();
        Process install = new ProcessBuilder("bash", root.resolve("infra/bin/superset.sh").toString(), "install")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (install.waitFor() != 0) {
            throw new IOException("infra/bin/superset.sh install failed");
        }
        Files.createDirectories(home);
        int port = Ports.free();
        Map<String, String> env = new HashMap<>();
        env.put("SUPERSET_HOME", home.toAbsolutePath().toString());
        env.put("SUPERSET_HOST", ServiceOptions.bindHost());
        env.put("SUPERSET_PORT", Integer.toString(port));
        Path log = home.resolve("superset.log");
        TiedProcess p = TiedProcess.start("superset", List.of("bash", root.resolve("infra/bin/superset.sh").toString(), "serve"),
            home, log, "TERM", ServiceOptions.stopGrace(), env);
        LocalSuperset s = new LocalSuperset(p, URI.create("http://127.0.0.1:" + port), root, home);
        if (!Ports.await(s::healthy, p::isAlive, timeout)) {
            s.close();
            String tail = Files.exists(log) ? Files.readString(log) : "";
            throw new IOException("Superset did not become ready within " + timeout + "; log " + log + ":\n"
                + tail.substring(Math.max(0, tail.length() - 4000)));
        }
        return s;
    }

    public URI url() {
        return url;
    }

    public long pid() {
        return process.serverPid();
    }

    /** The file (0600) with the generated admin password. */
    public Path passwordFile() {
        return home.resolve("admin.password");
    }

    /**
     * Imports the repository's dashboard bundle, connected to {@code trino}'s TLS endpoint as the BI user,
     * reading the serving tables of {@code schema}. Re-importing overwrites. Returns the dashboard's URL.
     */
    public URI importDashboard(LocalTrino trino, String schema) throws IOException, InterruptedException {
        Map<String, String> values = new HashMap<>();
        values.put("trino_host_port", "127.0.0.1:" + trino.port());
        values.put("trino_pem", trino.security().certificate().toAbsolutePath().toString());
        values.put("schema", schema);
        byte[] zip = bundleZip(repo.resolve(BUNDLE), values);
        String password = Files.readString(trino.security().passwordFile(TrinoSecurity.BI)).strip();
        String boundary = "----clickstream" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "formData", "clickstream_dashboard.zip", zip);
        part(body, boundary, "passwords", null, JSON.writeValueAsBytes(Map.of(DATABASE_FILE, password)));
        part(body, boundary, "overwrite", null, "true".getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = send(authorized("/api/v1/dashboard/import/").header("X-CSRFToken", csrfToken())
            .header("Referer", url.toString()).header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        if (r.statusCode() != 200) {
            throw new IOException("dashboard import answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode dashboards = get("/api/v1/dashboard/?q=" + enc("(columns:!(id,slug,url))")).path("result");
        for (JsonNode d : dashboards) {
            if ("clickstream".equals(d.path("slug").asText())) {
                return url.resolve(d.path("url").asText());
            }
        }
        throw new IOException("the imported dashboard (slug clickstream) is missing");
    }

    /** Chart id by the bundle's chart file name (without .yaml), e.g. {@code dlq_reasons}. */
    public Map<String, Integer> charts() throws IOException, InterruptedException {
        Map<String, String> nameByUuid = new HashMap<>();
        try (Stream<Path> files = Files.list(repo.resolve(BUNDLE).resolve("charts"))) {
            for (Path f : files.sorted().toList()) {
                Matcher m = Pattern.compile("(?m)^uuid: (\\S+)$").matcher(Files.readString(f));
                if (m.find()) {
                    nameByUuid.put(m.group(1), f.getFileName().toString().replaceFirst("\\.yaml$", ""));
                }
            }
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (JsonNode c : get("/api/v1/chart/?q=" + enc("(columns:!(id),page_size:100)")).path("result")) {
            int id = c.path("id").asInt();
            String name = nameByUuid.get(get("/api/v1/chart/" + id).path("result").path("uuid").asText());
            if (name != null) {
                out.put(name, id);
            }
        }
        return out;
    }

    /**
     * A chart's data through the chart data endpoint ({@code GET /api/v1/chart/<id>/data/}, the chart's saved
     * query context): its rows, values as text (null stays null), in the order of {@code columns}.
     */
    public List<List<String>> chartRows(int chartId, List<String> columns) throws IOException, InterruptedException {
        JsonNode result = get("/api/v1/chart/" + chartId + "/data/").path("result");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : result.get(0).path("data")) {
            List<String> values = new ArrayList<>();
            for (String c : columns) {
                JsonNode v = row.get(c);
                values.add(v == null || v.isNull() ? null : v.asText());
            }
            rows.add(values);
        }
        return rows;
    }

    /** The column names of a chart's result, in order. */
    public List<String> chartColumns(int chartId) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        get("/api/v1/chart/" + chartId + "/data/").path("result").get(0).path("colnames").forEach(c -> out.add(c.asText()));
        return out;
    }

    /** The session cookie of a logged-in browser (for a headless screenshot): name=value. */
    public String sessionCookie() throws IOException, InterruptedException {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(url.resolve("/login/")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("name=\"csrf_token\"[^>]*value=\"([^\"]+)\"").matcher(login.body());
        if (!csrf.find()) {
            throw new IOException("no csrf token on the login page");
        }
        String form = "csrf_token=" + enc(csrf.group(1)) + "&username=" + USER + "&password="
            + enc(Files.readString(passwordFile()).strip());
        browser.send(HttpRequest.newBuilder(url.resolve("/login/")).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        return ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore().get(url).stream()
            .filter(c -> c.getName().equals("session")).map(c -> c.getName() + "=" + c.getValue()).findFirst()
            .orElseThrow(() -> new IOException("login to Superset failed: no session cookie"));
    }

    @Override
    public void close() {
        process.close();
    }

    /** The bundle folder as the zip Superset imports (one top folder), placeholders filled. */
    static byte[] bundleZip(Path bundle, Map<String, String> values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.walk(bundle)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry("clickstream_dashboard/" + bundle.relativize(f).toString().replace('\\', '/')));
                zip.write(fill(Files.readString(f), values).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Replaces {@code ${name}} by its value and {@code ${bi_sql:<query>}} by the BI query's text, as a YAML string. */
    static String fill(String text, Map<String, String> values) throws IOException {
        Matcher m = Pattern.compile("\\$\\{(bi_sql:)?([a-z_]+)}").matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v;
            if (m.group(1) != null) {
                v = JSON.writeValueAsString(BiQuery.valueOf(m.group(2).toUpperCase(java.util.Locale.ROOT)).sql());
            } else {
                v = values.get(m.group(2));
                if (v == null) {
                    throw new IOException("no value for ${" + m.group(2) + "}");
                }
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }

    private boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(url.resolve("/health")).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String token() throws IOException, InterruptedException {
        if (token == null) {
            ObjectNode login = JSON.createObjectNode().put("username", USER)
                .put("password", Files.readString(passwordFile()).strip()).put("provider", "db").put("refresh", false);
            HttpResponse<String> r = send(HttpRequest.newBuilder(url.resolve("/api/v1/security/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login.toString())).build());
            if (r.statusCode() != 200) {
                throw new IOException("Superset login answered " + r.statusCode() + ": " + r.body());
            }
            token = JSON.readTree(r.body()).path("access_token").asText();
        }
        return token;
    }

    private String csrfToken() throws IOException, InterruptedException {
        return get("/api/v1/security/csrf_token/").path("result").asText();
    }

    private HttpRequest.Builder authorized(String path) throws IOException, InterruptedException {
        return HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + token());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(authorized(path).GET().build());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String fileName, byte[] content)
            throws IOException {
        StringBuilder h = new StringBuilder("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(name).append('"');
        if (fileName != null) {
            h.append("; filename=\"").append(fileName).append("\"\r\nContent-Type: application/zip");
        }
        h.append("\r\n\r\n");
        body.write(h.toString().getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
