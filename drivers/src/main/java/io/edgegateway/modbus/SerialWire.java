package io.edgegateway.modbus;

import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.io.AbstractModbusTransport;
import com.ghgande.j2mod.modbus.net.AbstractSerialConnection;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.serial.SerialSettings;

import java.io.IOException;

/**
 * An RS-485/RS-232 line opened by j2mod's {@link ModbusSerialMaster} (jSerialComm underneath). The master only
 * opens and closes the port; requests go straight through its RTU transport so that j2mod's retry loop and
 * inter-frame sleep (which truncates to milliseconds) stay out of the way.
 */
final class SerialWire implements Wire {

    private final SerialSettings settings;
    private final LinkOptions options;
    private ModbusSerialMaster master;

    SerialWire(SerialSettings settings, LinkOptions options) {
        this.settings = settings;
        this.options = options;
    }

    /** Our settings in j2mod's terms. */
    static SerialParameters parameters(SerialSettings s) {
        SerialParameters p = new SerialParameters();
        p.setPortName(s.device());
        p.setBaudRate(s.baud());
        p.setDatabits(s.dataBits());
        // j2mod hands this number to jSerialComm unchanged, where 2 means 1.5 stop bits and two is 3.
        p.setStopbits(s.stopBits() == 2 ? AbstractSerialConnection.TWO_STOP_BITS : AbstractSerialConnection.ONE_STOP_BIT);
        p.setParity(switch (s.parity()) {
            case NONE -> AbstractSerialConnection.NO_PARITY;
            case EVEN -> AbstractSerialConnection.EVEN_PARITY;
            case ODD -> AbstractSerialConnection.ODD_PARITY;
        });
        p.setFlowControlIn(AbstractSerialConnection.FLOW_CONTROL_DISABLED);
        p.setFlowControlOut(AbstractSerialConnection.FLOW_CONTROL_DISABLED);
        p.setEncoding("rtu");
        p.setEcho(false);
        p.setRs485Mode(s.rs485());
        if (s.rs485()) {
            p.setRs485TxEnableActiveHigh(s.rtsActiveHigh());
            p.setRs485DelayBeforeTxMicroseconds(s.delayBeforeSendMicros());
            p.setRs485DelayAfterTxMicroseconds(s.delayAfterSendMicros());
        }
        return p;
    }

    @Override
    public void open() throws LinkDownException {
        if (isOpen()) {
            return;
        }
        ModbusSerialMaster m = null;
        try {
            m = new ModbusSerialMaster(parameters(settings), options.responseTimeoutMillis());
            m.connect();
            m.getTransport().setTimeout(options.responseTimeoutMillis());
            master = m;
        } catch (Exception e) {
            if (m != null) {
                m.disconnect();
            }
            throw new LinkDownException("cannot open serial port " + settings.describe()
                    + " (missing, busy, or no permission: is the user in group dialout?): " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isOpen() {
        return master != null && master.isConnected();
    }

    @Override
    public AbstractModbusTransport transport() {
        return master.getTransport();
    }

    @Override
    public void discardInput() throws IOException {
        AbstractSerialConnection c = master.getConnection();
        byte[] sink = new byte[256];
        int n;
        int rounds = 0;
        // Bounded: a line that never stops talking (wrong baud rate, a second master) must not hang us here.
        while ((n = c.bytesAvailable()) > 0 && rounds++ < 64) {
            c.readBytes(sink, Math.min(n, sink.length));
        }
    }

    @Override
    public int pendingInput() {
        return Math.max(0, master.getConnection().bytesAvailable());
    }

    @Override
    public void close() {
        if (master != null) {
            master.disconnect();
        }
        master = null;
    }

    @Override
    public String describe() {
        return settings.describe();
    }
}
