package io.edgegateway.modbus;

import com.ghgande.j2mod.modbus.io.AbstractModbusTransport;
import com.ghgande.j2mod.modbus.io.ModbusTCPTransport;
import io.edgegateway.device.LinkDownException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * A TCP connection carrying MBAP frames (Modbus TCP) or bare RTU frames with CRC (RTU over TCP, as serial device
 * servers in transparent mode pass them).
 *
 * <p>The socket is made here rather than by j2mod's {@code TCPMasterConnection}: that class uses the response
 * timeout as connect timeout and cannot take the CRC-checking RTU transport ({@link RtuOverTcpTransport}).
 * Framing and parsing stay j2mod's.
 */
final class TcpWire implements Wire {

    private final String host;
    private final int port;
    private final boolean rtu;
    private final LinkOptions options;
    private Socket socket;
    private ModbusTCPTransport transport;

    TcpWire(String host, int port, boolean rtu, LinkOptions options) {
        this.host = host;
        this.port = port;
        this.rtu = rtu;
        this.options = options;
    }

    @Override
    public void open() throws LinkDownException {
        if (isOpen()) {
            return;
        }
        Socket s = new Socket();
        try {
            // Resolved on every connect, not once: at boot DNS may not be up yet, and addresses change.
            InetAddress address = InetAddress.getByName(host);
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(address, port), (int) Math.max(1, options.connectTimeout().toMillis()));
            s.setSoTimeout(options.responseTimeoutMillis());
            ModbusTCPTransport t = rtu ? new RtuOverTcpTransport(s) : new ModbusTCPTransport(s);
            t.setTimeout(options.responseTimeoutMillis());
            socket = s;
            transport = t;
        } catch (UnknownHostException e) {
            closeQuietly(s);
            throw new LinkDownException("unknown host " + host, e);
        } catch (SocketTimeoutException e) {
            closeQuietly(s);
            throw new LinkDownException("no TCP connection to " + describe() + " within "
                    + options.connectTimeout().toMillis() + " ms (device off, wrong address, or a firewall?)", e);
        } catch (ConnectException e) {
            closeQuietly(s);
            throw new LinkDownException("connection to " + describe() + " refused (is the device on and the port "
                    + port + " right?)", e);
        } catch (NoRouteToHostException e) {
            closeQuietly(s);
            throw new LinkDownException("no route to " + describe(), e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            throw new LinkDownException("cannot connect to " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isOpen() {
        return socket != null && !socket.isClosed();
    }

    @Override
    public AbstractModbusTransport transport() {
        return transport;
    }

    @Override
    public void discardInput() throws IOException {
        // Modbus TCP needs no draining: a failed exchange closes the socket and transaction ids catch the rest.
        // j2mod's MBAP reader buffers its input, so bytes could not be drained from under it anyway.
        if (rtu && transport instanceof RtuOverTcpTransport r) {
            r.discardInput();
        }
    }

    @Override
    public int pendingInput() throws IOException {
        if (rtu && socket != null) {
            InputStream in = socket.getInputStream();
            return in.available();
        }
        return 0;
    }

    @Override
    public void close() {
        if (socket != null) {
            closeQuietly(socket);
        }
        socket = null;
        transport = null;
    }

    @Override
    public String describe() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a broken socket: nothing left to do
        }
    }
}
