package io.edgegateway.link;

import io.edgegateway.device.LinkDownException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A TCP connection as a {@link ByteLink}; a read that times out returns 0, the peer closing throws EOF. */
public final class TcpByteLink implements ByteLink {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String description;

    public TcpByteLink(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        // Buffered: an answer's header and body usually arrive together, and come in one read call, not two.
        this.in = new BufferedInputStream(socket.getInputStream(), 512);
        this.out = socket.getOutputStream();
        this.description = "tcp " + socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /**
     * Connects, waiting at most {@code timeout}, and says why not in an installer's words (refused, no answer,
     * unknown host, no route). The host is resolved on every connect: at boot DNS may not be up yet, and addresses
     * change.
     */
    public static TcpByteLink open(String host, int port, Duration timeout) throws LinkDownException {
        String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        try {
            return connect(host, port, timeout);
        } catch (UnknownHostException e) {
            throw new LinkDownException("unknown host " + host, e);
        } catch (SocketTimeoutException e) {
            throw new LinkDownException("no TCP connection to " + where + " within " + timeout.toMillis()
                    + " ms (device off, wrong address, or a firewall?)", e);
        } catch (ConnectException e) {
            throw new LinkDownException("connection to " + where + " refused (is the device on and the port " + port
                    + " right?)", e);
        } catch (NoRouteToHostException e) {
            throw new LinkDownException("no route to " + where + " (network down, or wrong subnet?)", e);
        } catch (IOException | RuntimeException e) {
            throw new LinkDownException("cannot connect to " + where + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Connects, waiting at most {@code timeout}. */
    public static TcpByteLink connect(String host, int port, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return new TcpByteLink(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        try {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                throw new EOFException("connection closed by " + description.substring(4));
            }
            return n;
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    @Override
    public void discardInput() throws IOException {
        while (in.available() > 0) {
            if (in.skip(in.available()) <= 0) {
                break;
            }
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
