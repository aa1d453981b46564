package io.edgegateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto broker as a process of its own, so that the gateway's uplink is tested against the broker it
 * meets in the field, including what a mock would not do: refusing a password, a TLS handshake, a bridge, and a
 * restart that keeps persistent sessions.
 *
 * <p>Everything lives in the broker's directory: mosquitto.conf, the password file, the log (mosquitto.log) and the
 * persistence file (mosquitto.db). The ports are chosen once, when built, so that a {@link #stop()} and
 * {@link #start()} bring the broker back where its clients expect it. mosquitto writes mosquitto.db on SIGTERM (not
 * on SIGKILL, see {@link #kill()}); persistent sessions, their subscriptions and their queued QoS 1 messages survive
 * a stop and start. The queue limits are lifted so that a subscriber offline for a while loses nothing. QoS 1 is at
 * least once, and the broker shows it: stopped a moment after delivering, it may not yet have read every PUBACK,
 * and delivers those messages again after the next start. Compare what arrived as sets, not counts, across restarts.
 *
 * <p>A bridge forwards QoS 1 messages queued while the remote broker was away, but drops QoS 0 ones published while
 * it is not connected, as for any client: a test publishing QoS 0 first waits for {@code "New bridge connected"} in
 * the remote broker's log ({@link #awaitLog}).
 *
 * <p>Started as root, mosquitto 2 drops to the user "mosquitto", which then can neither write mosquitto.db in a
 * directory of root nor read the key; the config therefore names the current user, which keeps root as root and is
 * ignored when not root.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final long TIMEOUT_SECONDS = 10;

    private final Path dir;
    private final int port;
    private final int tlsPort;
    private final Map<String, String> users;
    private final TestCertificates certificates;
    private final boolean requireClientCertificate;
    private final List<Bridge> bridges;
    private final List<String> extraConfig;
    private Process process;
    private long logOffset;

    private MosquittoBroker(Builder b, int port, int tlsPort) {
        this.dir = b.dir;
        this.port = port;
        this.tlsPort = tlsPort;
        this.users = new java.util.concurrent.ConcurrentHashMap<>(b.users);
        this.certificates = b.certificates;
        this.requireClientCertificate = b.requireClientCertificate;
        this.bridges = List.copyOf(b.bridges);
        this.extraConfig = List.copyOf(b.extraConfig);
    }

    /** A broker whose files go to {@code dir} (created at start if missing). */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** A TCP port on loopback that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * A bridge from this broker to another: mosquitto's own way of forwarding a site's messages to a central broker.
     * A short restart timeout lets a test see the bridge come back within a second or two of the central broker.
     *
     * @param name     the connection name, also the bridge's client id at the remote broker
     * @param port     the remote broker's plain port on 127.0.0.1
     * @param topics   what follows {@code topic} in mosquitto.conf, e.g. {@code "site/# out 1"}
     * @param username for a remote broker with a password file, or null
     * @param password with {@code username}
     */
    public record Bridge(String name, int port, List<String> topics, String username, String password) {

        public Bridge {
            Objects.requireNonNull(name);
            topics = List.copyOf(topics);
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("a bridge forwards at least one topic");
            }
        }

        /** Forwards what is published here on {@code topicPattern} to {@code remote}, at QoS 1. */
        public static Bridge out(MosquittoBroker remote, String topicPattern) {
            return new Bridge("bridge-to-" + remote.port(), remote.port(), List.of(topicPattern + " out 1"), null,
                    null);
        }

        public Bridge withCredentials(String username, String password) {
            return new Bridge(name, port, topics, username, password);
        }
    }

    /** Options; {@link #build()} reserves the ports. */
    public static final class Builder {

        private final Path dir;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<Bridge> bridges = new ArrayList<>();
        private final List<String> extraConfig = new ArrayList<>();
        private TestCertificates certificates;
        private boolean requireClientCertificate;

        private Builder(Path dir) {
            if (dir.toAbsolutePath().toString().matches(".*\\s.*")) {
                // mosquitto.conf has no quoting
                throw new IllegalArgumentException("mosquitto cannot be configured with a path with blanks: " + dir);
            }
            this.dir = dir.toAbsolutePath();
        }

        /** Adds a user; once there is one, anonymous clients are refused. */
        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        public Builder users(Map<String, String> namesToPasswords) {
            users.putAll(namesToPasswords);
            return this;
        }

        /** Adds a TLS listener on a port of its own ({@link MosquittoBroker#tlsPort()}) with {@code certs}' server. */
        public Builder tls(TestCertificates certs) {
            this.certificates = certs;
            return this;
        }

        /** Makes the TLS listener refuse clients without a certificate signed by the test CA. */
        public Builder requireClientCertificate() {
            this.requireClientCertificate = true;
            return this;
        }

        public Builder bridge(Bridge bridge) {
            bridges.add(bridge);
            return this;
        }

        /** A line appended to mosquitto.conf as is (it lands in the last listener's or bridge's section). */
        public Builder config(String line) {
            extraConfig.add(line);
            return this;
        }

        public MosquittoBroker build() throws IOException {
            if (requireClientCertificate && certificates == null) {
                throw new IllegalStateException("requireClientCertificate needs tls(certificates)");
            }
            int port = freePort();
            int tlsPort = certificates == null ? -1 : otherFreePort(port);
            return new MosquittoBroker(this, port, tlsPort);
        }

        private static int otherFreePort(int taken) throws IOException {
            int p;
            do {
                p = freePort();
            } while (p == taken);
            return p;
        }
    }

    /**
     * Writes the config and the password file, starts mosquitto and returns once it accepts connections.
     *
     * @throws IllegalStateException with the log if mosquitto exits or does not listen within 10 s
     */
    public MosquittoBroker start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("mosquitto is already running on port " + port);
        }
        Files.createDirectories(dir);
        writePasswordFile();
        Files.writeString(config(), configText());
        logOffset = Files.exists(logFile()) ? Files.size(logFile()) : 0;
        process = new ProcessBuilder(program(), "-c", config().toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ":\n"
                        + log(logOffset));
            }
            // "running" is logged once every listener is open; had another process taken a port meanwhile,
            // mosquitto would have exited instead
            if (log(logOffset).contains(" running") && accepts(port) && (tlsPort < 0 || accepts(tlsPort))) {
                return this;
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("mosquitto did not listen on " + port + " within " + TIMEOUT_SECONDS
                        + " s:\n" + log(logOffset));
            }
            Thread.sleep(20);
        }
    }

    /** SIGTERM, which makes mosquitto save mosquitto.db; SIGKILL after 10 s. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGKILL: a crash. Nothing is saved; the next start finds mosquitto.db as the last SIGTERM left it. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The plain MQTT port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The TLS port on 127.0.0.1, or -1 without {@link Builder#tls}. */
    public int tlsPort() {
        return tlsPort;
    }

    public String host() {
        return HOST;
    }

    public Path dir() {
        return dir;
    }

    public Path config() {
        return dir.resolve("mosquitto.conf");
    }

    /** Where mosquitto keeps sessions and queued messages across restarts. */
    public Path persistenceFile() {
        return dir.resolve("mosquitto.db");
    }

    /** Everything mosquitto logged since the first start (restarts append), for assertions and failure messages. */
    public String log() {
        return log(0);
    }

    /**
     * Waits until the log since the last {@link #start()} contains {@code fragment}: {@code "as gateway-1 ("} once a
     * client of that id has connected, {@code "New bridge connected"} at the remote end of a bridge.
     *
     * @throws IllegalStateException with the log on timeout
     */
    public void awaitLog(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!log(logOffset).contains(fragment)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("\"" + fragment + "\" not in the log of " + this + " within " + timeout
                        + ":\n" + log(logOffset));
            }
            Thread.sleep(50);
        }
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
        return "mosquitto on " + HOST + ":" + port + (tlsPort < 0 ? "" : " (TLS " + tlsPort + ")") + " in " + dir;
    }

    private Path logFile() {
        return dir.resolve("mosquitto.log");
    }

    private String log(long from) {
        try {
            if (!Files.exists(logFile())) {
                return "";
            }
            byte[] all = Files.readAllBytes(logFile());
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The broker's program: Debian installs it in /usr/sbin, which is not on a normal user's PATH. */
    public static String program() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "mosquitto");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return "mosquitto";
    }

    /** Whether the broker is installed. */
    public static boolean installed() {
        return !program().equals("mosquitto");
    }

    /**
     * Changes a user's password while the broker runs: the password file is rewritten and mosquitto told to reload
     * it (SIGHUP), as an operator fixing a credential would.
     */
    public void changePassword(String user, String password) throws IOException, InterruptedException {
        users.put(user, password);
        writePasswordFile();
        if (isRunning()) {
            Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
            hup.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void writePasswordFile() throws IOException, InterruptedException {
        Path file = dir.resolve("passwd");
        Files.deleteIfExists(file);
        if (users.isEmpty()) {
            return;
        }
        Files.createFile(file);
        for (Map.Entry<String, String> u : users.entrySet()) {
            Process p = new ProcessBuilder("mosquitto_passwd", "-b", file.toString(), u.getKey(), u.getValue())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("mosquitto_passwd failed for user " + u.getKey() + ":\n" + output);
            }
        }
    }

    private String configText() {
        StringBuilder c = new StringBuilder();
        c.append("# written by ").append(MosquittoBroker.class.getName()).append('\n');
        // see the class comment: as root this keeps root, otherwise mosquitto ignores it
        c.append("user ").append(System.getProperty("user.name")).append('\n');
        // stderr is unbuffered: the log file is complete at every moment, not only when mosquitto exits
        c.append("log_dest stderr\n");
        c.append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
        c.append("log_type subscribe\nlog_type unsubscribe\n");
        c.append("log_timestamp_format %Y-%m-%dT%H:%M:%S\n");
        c.append("connection_messages true\n");
        c.append("per_listener_settings false\n");
        if (users.isEmpty()) {
            c.append("allow_anonymous true\n");
        } else {
            c.append("allow_anonymous false\n");
            c.append("password_file ").append(dir.resolve("passwd")).append('\n');
        }
        c.append("persistence true\n");
        c.append("persistence_location ").append(dir).append("/\n"); // must end with a slash
        c.append("persistence_file mosquitto.db\n");
        c.append("max_queued_messages 1000000\n");
        c.append("max_queued_bytes 0\n");
        c.append("set_tcp_nodelay true\n");
        c.append('\n');
        c.append("listener ").append(port).append(' ').append(HOST).append('\n');
        if (certificates != null) {
            c.append('\n');
            c.append("listener ").append(tlsPort).append(' ').append(HOST).append('\n');
            c.append("cafile ").append(certificates.caCert().toAbsolutePath()).append('\n');
            c.append("certfile ").append(certificates.serverCert().toAbsolutePath()).append('\n');
            c.append("keyfile ").append(certificates.serverKey().toAbsolutePath()).append('\n');
            c.append("require_certificate ").append(requireClientCertificate).append('\n');
        }
        for (Bridge b : bridges) {
            c.append('\n');
            c.append("connection ").append(b.name()).append('\n');
            c.append("address ").append(HOST).append(':').append(b.port()).append('\n');
            for (String t : b.topics()) {
                c.append("topic ").append(t).append('\n');
            }
            c.append("remote_clientid ").append(b.name()).append('\n');
            // the remote broker keeps the bridge's session, so a central restart loses nothing in flight
            c.append("cleansession false\n");
            // two values: mosquitto 2.0.11 keeps its default backoff (5 to 30 s) when given only one
            c.append("restart_timeout 1 1\n");
            if (b.username() != null) {
                c.append("remote_username ").append(b.username()).append('\n');
                c.append("remote_password ").append(b.password()).append('\n');
            }
        }
        if (!extraConfig.isEmpty()) {
            c.append('\n');
            extraConfig.forEach(line -> c.append(line).append('\n'));
        }
        return c.toString();
    }
}
