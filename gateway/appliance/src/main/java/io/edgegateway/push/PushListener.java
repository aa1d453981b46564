package io.edgegateway.push;

import io.edgegateway.config.BindAddress;
import io.edgegateway.config.DlmsPushConfig;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.wrapper.WrapperHeader;
import io.edgegateway.hub.EventHub;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code dlms-push} port: meters connect over TCP and send Data-Notifications in IEC 62056-47 wrapper frames
 * (version 1, source wPort, destination wPort, length, APDU), as many as they like on one connection; nothing is
 * answered (a Data-Notification is unconfirmed). Each connection has a virtual thread; at most
 * {@code max-connections} are served, further ones are closed at once. A connection idle for {@code idle-timeout} is
 * closed, and so is one that sends what is not a wrapper frame or a frame above {@link #MAX_APDU} bytes (counted as
 * malformed): the stream cannot be trusted past it. A frame that is well formed but refused (wrong key, replay)
 * leaves the connection open.
 */
public final class PushListener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PushListener.class.getName());
    /** A push of a few dozen registers is a few hundred bytes; more is a mistake or an attack. */
    public static final int MAX_APDU = 4096;

    private final DlmsPushConfig config;
    private final String source;
    private final PushReceiver receiver;
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong connectionsRefused = new AtomicLong();
    private volatile ServerSocket server;
    private volatile boolean closed;
    private Thread acceptor;

    /**
     * Listens on nothing until {@link #start}.
     *
     * @param source the config file, for the message when the port cannot be bound
     */
    public PushListener(DlmsPushConfig config, String source, EventHub hub, Clock clock) {
        this.config = config;
        this.source = source;
        this.receiver = new PushReceiver(config, hub, clock);
        this.slots = new Semaphore(config.maxConnections());
    }

    /**
     * Where a polled meter's own link delivers the Data-Notifications it pushes while being read (HDLC or the
     * wrapper): decoded, checked and published as pushes on this port are.
     */
    public java.util.function.Consumer<byte[]> fromLink(String meterNo) {
        return apdu -> receiver.receive(apdu, "meter " + meterNo + "'s own link");
    }

    /**
     * Binds the port and starts taking connections.
     *
     * @throws UncheckedIOException with a {@link BindException} when the port cannot be bound
     */
    public synchronized PushListener start() {
        if (server != null || closed) {
            throw new IllegalStateException("already started");
        }
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(config.bind()), config.port()), 64);
        } catch (IOException e) {
            closeQuietly(s);
            String why = BindAddress.notHere(config.bind()).orElse(e.getMessage() != null ? e.getMessage()
                    : "address in use, or not an address of this machine");
            throw new UncheckedIOException(new BindException(source + ": dlms-push cannot listen on " + config.bind()
                    + ":" + config.port() + " (" + why + ")"));
        }
        server = s;
        acceptor = Thread.ofVirtual().name("dlms-push-accept").start(this::accept);
        LOG.info("dlms-push listening on " + config.bind() + ":" + s.getLocalPort() + " for "
                + config.devices().size() + " meters");
        return this;
    }

    /** The bound port; the configured one until started. */
    public int port() {
        ServerSocket s = server;
        return s != null ? s.getLocalPort() : config.port();
    }

    public PushHealth health() {
        ServerSocket s = server;
        PushHealth.State state = s != null && !closed ? PushHealth.State.LISTENING : PushHealth.State.CLOSED;
        return new PushHealth(state, config.bind(), port(), open.size(), connections.get(), connectionsRefused.get(),
                receiver.total(), receiver.meters());
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (SocketException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.WARNING, "dlms-push: accept failed", e);
                pause();
                continue;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "dlms-push: accept failed", e); // e.g. out of file descriptors
                pause();
                continue;
            }
            if (!slots.tryAcquire()) {
                long n = connectionsRefused.incrementAndGet();
                if (Long.bitCount(n) == 1) {
                    LOG.warning("dlms-push: " + config.maxConnections() + " connections open, closing one from "
                            + peer(socket) + " [" + n + " refused so far]");
                }
                closeQuietly(socket);
                continue;
            }
            connections.incrementAndGet();
            open.add(socket);
            try {
                Thread.ofVirtual().name("dlms-push-" + peer(socket)).start(() -> serve(socket));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dlms-push: cannot serve " + peer(socket), e);
                release(socket);
            }
            if (closed) {
                release(socket); // close() may have passed over it
            }
        }
    }

    /** Not a busy loop when accept keeps failing. */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(Socket socket) {
        String from = peer(socket);
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()));
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
            byte[] header = new byte[WrapperHeader.SIZE];
            while (!closed) {
                int got = in.readNBytes(header, 0, header.length);
                if (got == 0) {
                    return; // the meter closed between frames
                }
                if (got < header.length) {
                    receiver.refuse(Refusal.MALFORMED, null, "connection closed " + got + " bytes into a wrapper"
                            + " header", from);
                    return;
                }
                WrapperHeader h;
                try {
                    h = WrapperHeader.decode(header);
                } catch (MalformedException e) {
                    receiver.refuse(Refusal.MALFORMED, null, e.getMessage() + "; closing the connection", from);
                    return;
                }
                if (h.length() == 0 || h.length() > MAX_APDU) {
                    receiver.refuse(Refusal.MALFORMED, null, "a wrapper frame of " + h.length() + " bytes (1.."
                            + MAX_APDU + "); closing the connection", from);
                    return;
                }
                byte[] apdu = in.readNBytes(h.length());
                if (apdu.length < h.length()) {
                    receiver.refuse(Refusal.MALFORMED, null, "connection closed " + apdu.length + " bytes into an"
                            + " APDU of " + h.length(), from);
                    return;
                }
                receiver.receive(apdu, from);
            }
        } catch (SocketTimeoutException e) {
            LOG.fine(() -> "dlms-push: closing " + from + ", idle for " + config.idleTimeout());
        } catch (IOException e) {
            if (!closed) {
                LOG.fine(() -> "dlms-push: connection from " + from + " ended: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            // A bug must cost this connection only, never the listener.
            LOG.log(Level.WARNING, "dlms-push: connection from " + from + " failed", e);
        } finally {
            release(socket);
        }
    }

    private void release(Socket socket) {
        if (open.remove(socket)) {
            slots.release();
        }
        closeQuietly(socket);
    }

    private static String peer(Socket s) {
        return s.getInetAddress().getHostAddress() + ":" + s.getPort();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing: nothing left to tell
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        Thread a;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            a = acceptor;
        }
        closeQuietly(server);
        open.forEach(this::release);
        if (a != null) {
            try {
                a.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
