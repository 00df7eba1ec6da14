package io.clickstream.quality;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clickstream.infra.lakehouse.Ports;
import io.clickstream.infra.lakehouse.ServiceOptions;
import io.clickstream.infra.lakehouse.TiedProcess;

/**
 * A screenshot of a web page in headless Chromium (Debian's {@code chromium}), driven through the Chrome
 * DevTools protocol over the JDK's WebSocket client: a session cookie is set first (the page needs a
 * logged-in user), the page is loaded, and the picture is taken once a JavaScript condition holds (e.g.
 * every chart rendered). Chromium listens for DevTools on a loopback port only and runs in its own
 * process group tied to this JVM ({@link TiedProcess}).
 */
public final class HeadlessScreenshot {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeadlessScreenshot() {}

    /** The {@code chromium} binary, or null when it is not installed. */
    public static Path chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /**
     * Loads {@code page} with {@code cookie} ({@code name=value}, for the page's host) in a {@code width} x
     * {@code height} window, waits until {@code readyExpression} is true in the page, and writes a PNG of the
     * whole page to {@code out}.
     */
    public static void capture(URI page, String cookie, String readyExpression, int width, int height, Path out, Path workDir,
            Duration timeout) throws IOException, InterruptedException {
        Path binary = chromium();
        if (binary == null) {
            throw new IOException("chromium not found: install the Debian package 'chromium'");
        }
        Files.createDirectories(workDir);
        int port = Ports.free();
        try (TiedProcess browser = TiedProcess.start("chromium", List.of(binary.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                "--remote-debugging-address=" + ServiceOptions.bindHost(), "--remote-debugging-port=" + port,
                "--user-data-dir=" + workDir.resolve("profile"), "--window-size=" + width + "," + height, "about:blank"),
                workDir, workDir.resolve("chromium.log"), "TERM", Duration.ofSeconds(2), Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            String[] ws = new String[1];
            if (!Ports.await(() -> {
                try {
                    JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                    for (JsonNode t : targets) {
                        if ("page".equals(t.path("type").asText())) {
                            ws[0] = t.path("webSocketDebuggerUrl").asText();
                            return true;
                        }
                    }
                    return false;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, browser::isAlive, Duration.ofSeconds(60))) {
                throw new IOException("Chromium's DevTools endpoint did not come up; log " + workDir.resolve("chromium.log"));
            }
            try (Session s = new Session(http, URI.create(ws[0]))) {
                String[] kv = cookie.split("=", 2);
                s.call("Network.enable", JSON.createObjectNode());
                s.call("Network.setCookie", JSON.createObjectNode().put("name", kv[0]).put("value", kv[1])
                    .put("url", page.resolve("/").toString()));
                s.call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                    .put("deviceScaleFactor", 1).put("mobile", false));
                s.call("Page.enable", JSON.createObjectNode());
                s.call("Page.navigate", JSON.createObjectNode().put("url", page.toString()));
                long deadline = System.nanoTime() + timeout.toNanos();
                while (true) {
                    JsonNode r = s.call("Runtime.evaluate", JSON.createObjectNode().put("expression", readyExpression)
                        .put("returnByValue", true));
                    if (r.path("result").path("value").asBoolean(false)) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the page did not get ready within " + timeout + " (" + readyExpression + ")");
                    }
                    Thread.sleep(500);
                }
                JsonNode shot = s.call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                    .put("captureBeyondViewport", true));
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.write(out, Base64.getDecoder().decode(shot.path("data").asText()));
            }
        }
    }

    /** One DevTools connection: commands with ids, answers matched to them. */
    private static final class Session implements WebSocket.Listener, AutoCloseable {
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        Session(HttpClient http, URI uri) {
            this.socket = http.newWebSocketBuilder().buildAsync(uri, this).join();
        }

        JsonNode call(String method, ObjectNode params) throws IOException {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
            msg.set("params", params);
            socket.sendText(msg.toString(), true).join();
            try {
                JsonNode r = answer.get(60, TimeUnit.SECONDS);
                if (r.has("error")) {
                    throw new IOException(method + ": " + r.get("error"));
                }
                return r.path("result");
            } catch (Exception e) {
                throw e instanceof IOException io ? io : new IOException(method + " failed", e);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> f = msg.has("id") ? pending.remove(msg.get("id").asInt()) : null;
                    if (f != null) {
                        f.complete(msg);
                    }
                } catch (IOException e) {
                    // not an answer we wait for
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null).join();
        }
    }
}
