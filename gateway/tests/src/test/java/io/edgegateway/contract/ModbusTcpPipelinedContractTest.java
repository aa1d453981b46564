package io.edgegateway.contract;

import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.transport.LinkOptions;

/**
 * The contract over Modbus TCP on a connection that allows four transactions in flight ({@code max-outstanding: 4}):
 * silence, garbage, dripping and reboots must be handled as with one. The rig's points are one request a cycle, so
 * this holds the transport's claim path to the contract; requests actually in flight together are
 * {@code PipelinedExchangeTest}'s and {@code PipelinedBusTest}'s.
 */
class ModbusTcpPipelinedContractTest extends ModbusTcpContractTest {

    @Override
    ModbusClient client(int port, LinkOptions options) {
        return ModbusClient.tcp("127.0.0.1", port, options, 4);
    }
}
