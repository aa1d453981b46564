package io.edgegateway.contract;

import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.transport.LinkOptions;

/**
 * The contract over Modbus TCP with four transactions in flight ({@code max-outstanding: 4}): the meter's requests
 * go out before the first answer, and silence, garbage, dripping and reboots must be handled as with one.
 */
class ModbusTcpPipelinedContractTest extends ModbusTcpContractTest {

    @Override
    ModbusClient client(int port, LinkOptions options) {
        return ModbusClient.tcp("127.0.0.1", port, options, 4);
    }
}
