package io.edgegateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mosquitto_sub as the independent MQTT client at the far end: what it prints is what any subscriber of the broker
 * gets, with no code of ours on the receiving side.
 *
 * <p>It runs as {@code stdbuf -oL mosquitto_sub -d -F '%x %j' ...}. {@code %x} is the payload in lower-case hex
 * (Sparkplug payloads are binary); {@code %j} is one line of JSON, e.g.
 * {@code {"tst":"...","topic":"a/b","qos":1,"retain":0,"payloadlen":1,"mid":1,
 * "properties":{"user-properties":{"k":"v"},"content-type":"text/plain"},"payload":"x"}}, of which the topic, qos,
 * retain and user properties are read. The JSON payload is not used: mosquitto_sub cuts it at the first zero byte.
 * {@code %P} would print user properties too, but as {@code key:value} pairs separated by blanks, which is
 * ambiguous. {@code -d} prints "Subscribed (mid: 1): 1" when the SUBACK comes, which is how {@link #start()} knows
 * the subscription is in place; stdbuf makes stdout line-buffered, without it the debug lines only come out
 * together with the next message.
 *
 * <p>When the broker goes away (stop, restart, kill), mosquitto_sub stays alive, reconnects by itself about once a
 * second and subscribes again (see {@link #subscribeCount()}); with a persistent session the broker has kept what
 * came meanwhile. mosquitto_sub exits, and {@link #isRunning()} turns false, only if its first connection fails or
 * the broker refuses it (a wrong password, a TLS failure); a test then {@link #start()}s it again.
 *
 * <p>The messages accumulate across {@link #stop()} and {@link #start()} until {@link #clear()}.
 */
public final class MosquittoSubscriber implements AutoCloseable {

    private static final long START_SECONDS = 10;
    private static final int DIAGNOSTIC_LINES = 100;
    // DOTALL: a binary payload's bytes in %j may decode to U+0085 or U+2028, which "." would not match without it.
    private static final Pattern MESSAGE = Pattern.compile("([0-9a-f]*) (\\{.*})", Pattern.DOTALL);

    private final List<String> command;
    private final List<Message> messages = new ArrayList<>();
    private final ArrayDeque<String> diagnostics = new ArrayDeque<>();
    private int subscribeCount;
    private volatile Process process;
    private Thread stdout;
    private Thread stderr;

    /**
     * One message as received.
     *
     * @param userProperties MQTT 5 user properties in the order sent (a key sent twice keeps its last value); empty
     *                       under MQTT 3.1.1
     */
    public record Message(String topic, byte[] payload, int qos, boolean retained,
                          Map<String, String> userProperties) {

        public Message {
            Objects.requireNonNull(topic);
            payload = payload.clone();
            userProperties = Collections.unmodifiableMap(new LinkedHashMap<>(userProperties));
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /** The payload as UTF-8, for text and JSON payloads. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Message m && topic.equals(m.topic) && Arrays.equals(payload, m.payload)
                    && qos == m.qos && retained == m.retained && userProperties.equals(m.userProperties);
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, Arrays.hashCode(payload), qos, retained, userProperties);
        }

        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 32));
            return topic + " q" + qos + (retained ? " retained" : "") + " [" + payload.length + " bytes] " + hex
                    + (payload.length > 32 ? "..." : "") + (userProperties.isEmpty() ? "" : " " + userProperties);
        }
    }

    private MosquittoSubscriber(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** A subscriber to 127.0.0.1:{@code port} for {@code topicFilters}, at QoS 1, MQTT 3.1.1, clean session. */
    public static Builder builder(int port, String... topicFilters) {
        return new Builder(port, List.of(topicFilters));
    }

    /** Options of mosquitto_sub. */
    public static final class Builder {

        private final int port;
        private final List<String> topicFilters;
        private String host = "127.0.0.1";
        private int qos = 1;
        private String clientId;
        private boolean persistent;
        private String username;
        private String password;
        private Path cafile;
        private Path cert;
        private Path key;
        private boolean mqtt5;

        private Builder(int port, List<String> topicFilters) {
            if (topicFilters.isEmpty()) {
                throw new IllegalArgumentException("no topic filter");
            }
            this.port = port;
            this.topicFilters = topicFilters;
        }

        /** The name to connect to; "localhost" also matches the test server certificate. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder qos(int qos) {
            this.qos = qos;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /**
         * Clean session false ({@code -c}): the broker keeps the subscription and queues QoS 1 messages while this
         * client is stopped, for the same client id. Under MQTT 5 the session never expires.
         */
        public Builder persistent(String clientId) {
            this.clientId = clientId;
            this.persistent = true;
            return this;
        }

        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** TLS, trusting {@code cafile}; the port must then be the broker's TLS port. */
        public Builder tls(Path cafile) {
            this.cafile = cafile;
            return this;
        }

        /** A client certificate, for a broker that requires one; needs {@link #tls}. */
        public Builder clientCertificate(Path cert, Path key) {
            this.cert = cert;
            this.key = key;
            return this;
        }

        /** MQTT 5 instead of 3.1.1, for user properties. */
        public Builder mqtt5() {
            this.mqtt5 = true;
            return this;
        }

        public MosquittoSubscriber build() {
            if (cert != null && cafile == null) {
                throw new IllegalStateException("a client certificate needs tls(cafile)");
            }
            List<String> c = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-d",
                    "-h", host, "-p", Integer.toString(port), "-q", Integer.toString(qos),
                    "-V", mqtt5 ? "mqttv5" : "mqttv311", "-F", "%x %j"));
            if (clientId != null) {
                c.addAll(List.of("-i", clientId));
            }
            if (persistent) {
                c.add("-c");
            }
            if (username != null) {
                c.addAll(List.of("-u", username));
                if (password != null) {
                    c.addAll(List.of("-P", password));
                }
            }
            if (cafile != null) {
                c.addAll(List.of("--cafile", cafile.toAbsolutePath().toString()));
            }
            if (cert != null) {
                c.addAll(List.of("--cert", cert.toAbsolutePath().toString(), "--key", key.toAbsolutePath().toString()));
            }
            for (String t : topicFilters) {
                c.addAll(List.of("-t", t));
            }
            return new MosquittoSubscriber(c);
        }
    }

    /**
     * Starts mosquitto_sub and returns once the broker has acknowledged the subscription.
     *
     * @throws IllegalStateException with mosquitto_sub's output if it exits (refused, broker down) or is not
     *                               subscribed within 10 s
     */
    public MosquittoSubscriber start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("mosquitto_sub is already running");
        }
        int before;
        synchronized (this) {
            before = subscribeCount;
        }
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        process = p;
        stdout = reader(p.getInputStream(), true);
        stderr = reader(p.getErrorStream(), false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            synchronized (this) {
                if (subscribeCount > before) {
                    return this;
                }
            }
            if (!p.isAlive()) {
                joinReaders();
                throw new IllegalStateException("mosquitto_sub exited with " + p.exitValue() + ":\n"
                        + diagnostics());
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("mosquitto_sub was not subscribed within " + START_SECONDS + " s:\n"
                        + diagnostics());
            }
            Thread.sleep(20);
        }
    }

    /** SIGTERM; returns once every line it printed has been read. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        joinReaders();
    }

    /** False once mosquitto_sub has exited, which it does only when refused, not when the broker restarts. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** A copy of what has arrived so far, in order of arrival. */
    public synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    /** Forgets the messages so far, e.g. before a phase of a test that counts what comes next. */
    public synchronized void clear() {
        messages.clear();
    }

    /**
     * How many SUBACKs have come since this subscriber was made: 1 after {@link #start()}, one more for every
     * reconnection after a broker restart (a clean-session subscriber misses what is published before it).
     */
    public synchronized int subscribeCount() {
        return subscribeCount;
    }

    /**
     * Waits until {@code condition} holds over the messages, checking every 50 ms.
     *
     * @return the messages for which it held
     * @throws IllegalStateException with what came, on timeout or when mosquitto_sub has exited meanwhile
     */
    public List<Message> await(Predicate<List<Message>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Message> now = messages();
            if (condition.test(now)) {
                return now;
            }
            if (!isRunning()) {
                throw new IllegalStateException("mosquitto_sub is not running, and the condition does not hold; "
                        + summary(now));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the condition did not hold within " + timeout + "; "
                        + summary(now));
            }
            Thread.sleep(50);
        }
    }

    /** Waits for at least {@code count} messages in all. */
    public List<Message> awaitCount(int count, Duration timeout) throws InterruptedException {
        return await(m -> m.size() >= count, timeout);
    }

    /** What mosquitto_sub said besides messages (debug lines, errors): the last 100 lines. */
    public synchronized String diagnostics() {
        return String.join("\n", diagnostics);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }

    private String summary(List<Message> now) {
        StringBuilder s = new StringBuilder();
        s.append(now.size()).append(" message(s)");
        int from = Math.max(0, now.size() - 20);
        if (from > 0) {
            s.append(", the last 20");
        }
        s.append(":\n");
        now.subList(from, now.size()).forEach(m -> s.append("  ").append(m).append('\n'));
        s.append("mosquitto_sub ").append(isRunning() ? "running" : "exited").append(", its output:\n")
                .append(diagnostics());
        return s.toString();
    }

    private Thread reader(InputStream in, boolean parse) {
        return Thread.ofPlatform().daemon().name("mosquitto_sub " + (parse ? "stdout" : "stderr")).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    accept(line, parse);
                }
            } catch (IOException e) {
                accept("reading mosquitto_sub: " + e, false);
            }
        });
    }

    private synchronized void accept(String line, boolean parse) {
        Matcher m = parse ? MESSAGE.matcher(line) : null;
        if (m != null && m.matches()) {
            try {
                messages.add(parse(m.group(1), m.group(2)));
                return;
            } catch (RuntimeException e) { // keep reading, or mosquitto_sub blocks on a full pipe
                line = "not understood (" + e + "): " + line;
            }
        }
        if (parse && line.startsWith("Subscribed (mid:")) {
            subscribeCount++;
        } else if (parse && !line.startsWith("Client ") && !line.startsWith("not understood")) {
            line = "not understood: " + line; // -d prints only "Client ..." and "Subscribed ..." lines
        }
        diagnostics.addLast(line);
        if (diagnostics.size() > DIAGNOSTIC_LINES) {
            diagnostics.removeFirst();
        }
    }

    private void joinReaders() throws InterruptedException {
        for (Thread t : new Thread[] {stdout, stderr}) {
            if (t != null) {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
    }

    private static Message parse(String hex, String json) {
        // The payload comes last and is taken from %x. mosquitto_sub copies a binary payload's bytes into the JSON
        // as they are when they look like UTF-8, so a Sparkplug payload can break the JSON: cut it off unread.
        int payload = json.indexOf(",\"payload\":", Math.max(0, json.indexOf("\"payloadlen\"")));
        if (payload > 0) {
            json = json.substring(0, payload) + "}";
        }
        Map<?, ?> j = (Map<?, ?>) new Json(json).value();
        Map<String, String> user = new LinkedHashMap<>();
        if (j.get("properties") instanceof Map<?, ?> props && props.get("user-properties") instanceof Map<?, ?> u) {
            u.forEach((k, v) -> user.put((String) k, String.valueOf(v)));
        }
        return new Message((String) j.get("topic"), HexFormat.of().parseHex(hex), number(j.get("qos")),
                number(j.get("retain")) != 0, user);
    }

    private static int number(Object o) {
        return switch (o) {
            case Number n -> n.intValue();
            case Boolean b -> b ? 1 : 0;
            case null, default -> 0;
        };
    }

    /** Just enough JSON for mosquitto_sub's %j line: objects, arrays, strings, numbers, literals. */
    private static final class Json {

        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            skipBlanks();
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>(); // a key sent twice keeps its last value
            i++;
            skipBlanks();
            if (s.charAt(i) == '}') {
                i++;
                return m;
            }
            while (true) {
                skipBlanks();
                String k = string();
                skipBlanks();
                expect(':');
                m.put(k, value());
                skipBlanks();
                if (s.charAt(i++) == '}') {
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> a = new ArrayList<>();
            i++;
            skipBlanks();
            if (s.charAt(i) == ']') {
                i++;
                return a;
            }
            while (true) {
                a.add(value());
                skipBlanks();
                if (s.charAt(i++) == ']') {
                    return a;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s, i, i + 4, 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
        }

        private Object number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String n = s.substring(start, i);
            if (n.isEmpty()) {
                throw new IllegalArgumentException("not JSON at " + start + ": " + s);
            }
            return n.matches("-?\\d+") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw new IllegalArgumentException("not JSON at " + i + ": " + s);
            }
            i += word.length();
            return v;
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (i - 1) + ": " + s);
            }
        }

        private void skipBlanks() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
