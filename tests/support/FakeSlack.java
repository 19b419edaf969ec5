// FakeSlack.java -- a real HTTP server on 127.0.0.1 that answers like Slack's incoming-webhook endpoint.
package sentinel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Slack's webhook endpoint in miniature: checks the payload as Slack does (valid JSON, {@code text} or
 * {@code blocks}, block limits) and answers {@code 200 ok} or {@code 400 invalid_payload}/{@code invalid_blocks},
 * unless a scripted reply (404 no_service, 429 with Retry-After, 500, a slow answer) comes first.
 * Records every request's bytes and arrival time.
 */
public final class FakeSlack implements AutoCloseable {
    /** Part of the webhook path that must never show up in any output. */
    public static final String SECRET = "XsEcReT0wEbHoOkT0kEn";
    private static final JsonFactory JSON = new JsonFactory();

    /** One request as received. */
    public record Request(String body, String contentType, long arrivedNanos) {}

    /** A scripted answer: status, body, an optional Retry-After (seconds) and a delay before answering. */
    public record Reply(int status, String body, String retryAfter, Duration delay) {
        public static Reply of(int status, String body) { return new Reply(status, body, null, Duration.ZERO); }
        public static Reply rateLimited(String retryAfterSeconds) { return new Reply(429, "rate_limited", retryAfterSeconds, Duration.ZERO); }
        public static Reply slow(Duration delay) { return new Reply(200, "ok", null, delay); }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-slack");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Reply> script = new ArrayDeque<>();
    private Reply fallback;

    private FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Starts a server on a free loopback port. */
    public static FakeSlack start() throws IOException {
        return new FakeSlack();
    }

    /** The webhook URL of this server; its path holds {@link #SECRET}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0SENTINEL/B0SENTINEL/" + SECRET;
    }

    /** A webhook URL on a loopback port where nothing listens (connection refused). */
    public static String refusedUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/services/T0SENTINEL/B0SENTINEL/" + SECRET;
    }

    /** The next answers, in order; after them, Slack-like validation (or {@link #answerAlways}). */
    public synchronized FakeSlack then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Answers every request after the script with {@code r}. */
    public synchronized FakeSlack answerAlways(Reply r) {
        fallback = r;
        return this;
    }

    /** A copy of the requests so far. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits until {@code n} requests have arrived or {@code max} has passed; returns the requests so far. */
    public synchronized List<Request> await(int n, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (requests.size() < n) {
            long left = end - System.nanoTime();
            if (left <= 0) break;
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        long now = System.nanoTime();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Reply r;
        synchronized (this) {
            requests.add(new Request(body, ex.getRequestHeaders().getFirst("Content-Type"), now));
            notifyAll();
            r = !script.isEmpty() ? script.poll() : fallback != null ? fallback : validate(body);
        }
        try {
            if (!r.delay().isZero()) Thread.sleep(r.delay().toMillis());
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            if (r.retryAfter() != null) ex.getResponseHeaders().set("Retry-After", r.retryAfter());
            ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (InterruptedException | IOException e) {
            ex.close(); // server closing, or the client gave up on a slow answer
        }
    }

    /** Slack's checks, as far as its documentation states them. */
    static Reply validate(String body) {
        Object payload;
        try {
            payload = parse(body);
        } catch (IOException | RuntimeException e) {
            return Reply.of(400, "invalid_payload");
        }
        if (!(payload instanceof Map<?, ?> m) || !(m.get("text") instanceof String || m.get("blocks") instanceof List)) {
            return Reply.of(400, "invalid_payload");
        }
        if (m.get("text") instanceof String t && t.length() > 40_000) return Reply.of(400, "invalid_payload");
        if (m.get("blocks") instanceof List<?> blocks && !blocksOk(blocks)) return Reply.of(400, "invalid_blocks");
        return Reply.of(200, "ok");
    }

    private static boolean blocksOk(List<?> blocks) {
        if (blocks.size() > 50) return false;
        for (Object o : blocks) {
            if (!(o instanceof Map<?, ?> b)) return false;
            if (b.get("text") instanceof Map<?, ?> t && !textOk(t, 3000)) return false;
            if (b.get("fields") instanceof List<?> fs) {
                if (fs.size() > 10) return false;
                for (Object f : fs) if (!(f instanceof Map<?, ?> fm) || !textOk(fm, 2000)) return false;
            }
            if (b.get("elements") instanceof List<?> es) {
                if (es.size() > 10) return false;
                for (Object e : es) if (!(e instanceof Map<?, ?> em) || !textOk(em, 3000)) return false;
            }
        }
        return true;
    }

    private static boolean textOk(Map<?, ?> t, int max) {
        return t.get("text") instanceof String s && !s.isEmpty() && s.length() <= max
                && ("mrkdwn".equals(t.get("type")) || "plain_text".equals(t.get("type")));
    }

    /** Parses JSON into maps, lists, strings, numbers, booleans and nulls (tests read payloads with it). */
    public static Object parse(String json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            Object v = read(p, p.nextToken());
            if (p.nextToken() != null) throw new IOException("trailing data");
            return v;
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        if (t == null) throw new IOException("unexpected end");
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) l.add(read(p, e));
                return l;
            }
            case VALUE_STRING: return p.getText();
            case VALUE_NUMBER_INT: case VALUE_NUMBER_FLOAT: return p.getNumberValue();
            case VALUE_TRUE: return true;
            case VALUE_FALSE: return false;
            case VALUE_NULL: return null;
            default: throw new IOException("unexpected " + t);
        }
    }
}
