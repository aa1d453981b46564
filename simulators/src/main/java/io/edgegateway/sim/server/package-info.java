/**
 * Where simulators listen: a TCP port ({@link io.edgegateway.sim.server.TcpListener}, one virtual thread per
 * connection) or a serial line ({@link io.edgegateway.sim.server.SerialListener}, one reader thread). Start, stop,
 * restart on the same port, and dropping connections are written once here; the Modbus and DLMS simulators only
 * say how to serve a connection.
 */
package io.edgegateway.sim.server;
