package io.edgegateway.dlms.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A TCP connection as a {@link ByteLink}. */
public final class TcpByteLink implements ByteLink {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String description;

    public TcpByteLink(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.description = "tcp " + socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /** Connects, waiting at most {@code timeout}. */
    public static TcpByteLink connect(String host, int port, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
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
