package io.edgegateway.sim.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP port a simulator listens on. Each accepted connection is served on its own virtual thread by the
 * {@link Connection} handler, at most {@code maxConnections} at once (more are closed on accept, like a device with
 * few sockets). {@link #restart()} gets the same port back, as a device that reboots. Thread-safe.
 */
public final class TcpListener implements Serving {

    private static final System.Logger LOG = System.getLogger(TcpListener.class.getName());

    /** Serves one connection until it ends; the listener closes the socket afterwards. */
    @FunctionalInterface
    public interface Connection {
        void serve(Socket socket) throws Exception;
    }

    private final String name;
    private final String bindAddress;
    private final int maxConnections;
    private final Connection handler;
    private final Map<Socket, Thread> connections = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private volatile int port;
    private ServerSocket server;
    private Thread acceptor;

    /**
     * @param name           for thread names and log lines, e.g. "modbus-tcp"
     * @param port           0 for an ephemeral port, kept across restarts
     */
    public TcpListener(String name, String bindAddress, int port, int maxConnections, Connection handler) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        this.name = name;
        this.bindAddress = bindAddress;
        this.port = port;
        this.maxConnections = maxConnections;
        this.handler = handler;
    }

    /** Binds and starts accepting; starting a started listener does nothing. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true); // restart() must get its port back while old connections sit in TIME_WAIT
            s.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 50);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
        port = s.getLocalPort();
        server = s;
        acceptor = Thread.ofVirtual().name(name + "-accept-" + port).start(() -> acceptLoop(s));
    }

    /** Stops listening and closes every connection. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        close(server);
        closeConnections();
        try {
            acceptor.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
        acceptor = null;
    }

    /** Stops and starts again on the same port. */
    public synchronized void restart() throws IOException {
        stop();
        start();
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** The port listened on (the ephemeral one chosen at the first start, if 0 was asked for). */
    public int port() {
        return port;
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Connections accepted since the listener was made. */
    public long accepted() {
        return accepted.get();
    }

    /**
     * Closes every open connection now, as a device losing its network; the listener stays, so masters reconnect.
     *
     * @return how many were closed
     */
    public int closeConnections() {
        int n = 0;
        for (Map.Entry<Socket, Thread> e : List.copyOf(connections.entrySet())) {
            n++;
            close(e.getKey());
            e.getValue().interrupt();
            connections.remove(e.getKey());
        }
        return n;
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket c;
            try {
                c = s.accept();
            } catch (IOException e) {
                return;
            }
            if (connections.size() >= maxConnections) {
                LOG.log(System.Logger.Level.WARNING, () -> name + " " + bindAddress + ":" + port + ": " + maxConnections
                        + " connections open, refusing " + c.getRemoteSocketAddress());
                close(c);
                continue;
            }
            accepted.incrementAndGet();
            Thread t = Thread.ofVirtual().name(name + "-" + port + "-" + c.getPort()).unstarted(() -> serve(c));
            connections.put(c, t);
            t.start();
        }
    }

    private void serve(Socket c) {
        try {
            c.setTcpNoDelay(true);
            handler.serve(c);
        } catch (InterruptedException e) {
            // the simulator stops
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + " " + port + ": connection ended: " + e);
        } finally {
            connections.remove(c);
            close(c);
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
