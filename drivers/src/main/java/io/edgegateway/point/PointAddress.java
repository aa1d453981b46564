package io.edgegateway.point;

/** Where a point lives on its device: a Modbus register range or a COSEM object attribute. */
public sealed interface PointAddress permits ModbusAddress, CosemAddress {

    /** Short form for messages and plans, e.g. {@code input 0x0048 float32 ABCD} or {@code 3/1.0.15.8.0.255/2}. */
    String describe();
}
