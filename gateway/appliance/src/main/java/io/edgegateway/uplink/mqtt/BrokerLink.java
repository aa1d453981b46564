package io.edgegateway.uplink.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.edgegateway.config.UplinkConfig;
import io.edgegateway.tls.PemFiles;
import io.reactivex.schedulers.Schedulers;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * One MQTT 5 connection to the broker. Clean start and no session expiry: what was not acknowledged is sent
 * again from the store after a reconnect, so the broker need not keep a session for the gateway.
 *
 * <p>One Netty thread does the I/O and callbacks run on virtual threads: a Pi has no platform threads to spare.
 */
public final class BrokerLink implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_S = 10;
    private static final int KEEP_ALIVE_S = 30;

    private final UplinkConfig config;
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final Mqtt5AsyncClient client;
    private volatile String lost;

    /** Why a connection attempt failed; {@code refused} is true for what retrying alone will not fix. */
    public static final class BrokerException extends Exception {
        private final boolean refused;

        BrokerException(String message, boolean refused) {
            super(message);
            this.refused = refused;
        }

        /** The broker or its certificate said no (password, authorisation, TLS), as opposed to unreachable. */
        public boolean refused() {
            return refused;
        }
    }

    /** The broker refused a message (its ACL, its size or quota limits): sending it again will not help. */
    public static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param onLost called once when an established connection drops, with the reason
     */
    public BrokerLink(UplinkConfig config, Consumer<String> onLost) throws BrokerException {
        this.config = config;
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(config.host()).serverPort(config.port())
                .socketConnectTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
                .mqttConnectTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS);
        if (config.tls()) {
            // On the transport itself: an sslConfig on the client builder after a transportConfig is not applied.
            transport = transport.sslConfig(ssl(config));
        }
        Mqtt5ClientBuilder b = MqttClient.builder().useMqttVersion5()
                .identifier(config.clientId())
                .executorConfig(MqttClientExecutorConfig.builder().nettyThreads(1)
                        .applicationScheduler(Schedulers.from(callbacks)).build())
                .transportConfig(transport.build())
                .addDisconnectedListener(ctx -> {
                    if (ctx.getSource() != MqttDisconnectSource.USER && lost == null) {
                        lost = describe(ctx.getCause());
                        onLost.accept(lost);
                    }
                });
        this.client = b.buildAsync();
    }

    private static MqttClientSslConfig ssl(UplinkConfig config) throws BrokerException {
        MqttClientSslConfigBuilder ssl = MqttClientSslConfig.builder()
                .handshakeTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS);
        UplinkConfig.TlsFiles t = config.trust();
        try {
            if (t.caFile().isPresent()) {
                ssl = ssl.trustManagerFactory(PemFiles.trust(t.caFile().get()));
            }
            if (t.certFile().isPresent() && t.keyFile().isPresent()) {
                ssl = ssl.keyManagerFactory(PemFiles.identity(t.certFile().get(), t.keyFile().get()));
            }
        } catch (PemFiles.PemException e) {
            throw new BrokerException(e.getMessage(), true);
        }
        return ssl.build();
    }

    /**
     * Connects, blocking until the broker accepts or refuses.
     *
     * @param will published by the broker if the gateway vanishes without disconnecting
     */
    public void connect(Outbound will) throws BrokerException, InterruptedException {
        Mqtt5ConnectBuilder.Send<CompletableFuture<Mqtt5ConnAck>> c =
                client.connectWith().cleanStart(true).sessionExpiryInterval(0)
                .keepAlive(KEEP_ALIVE_S);
        if (!config.username().isEmpty()) {
            var auth = c.simpleAuth().username(config.username());
            if (!config.password().isEmpty()) {
                auth = auth.password(config.password().value().getBytes(StandardCharsets.UTF_8));
            }
            c = auth.applySimpleAuth();
        }
        c = c.willPublish().topic(will.topic()).payload(will.payload()).qos(qos(will.qos())).retain(will.retain())
                .applyWillPublish();
        try {
            c.send().get(CONNECT_TIMEOUT_S * 3L, TimeUnit.SECONDS);
            lost = null;
        } catch (ExecutionException e) {
            throw classify(e.getCause());
        } catch (TimeoutException e) {
            client.disconnect();
            throw new BrokerException("no answer from " + config.url() + " within " + CONNECT_TIMEOUT_S * 3 + " s",
                    false);
        }
    }

    /**
     * Publishes; the future completes when the broker acknowledged it (QoS 1) or it was written (QoS 0), and
     * fails when the connection drops first or the broker refuses the message.
     */
    public CompletableFuture<Void> publish(Outbound m) {
        Mqtt5PublishBuilder.Send.Complete<CompletableFuture<Mqtt5PublishResult>> p = client.publishWith()
                .topic(m.topic()).qos(qos(m.qos())).retain(m.retain()).payload(m.payload());
        if (m.eventId().isPresent()) {
            p = p.userProperties().add("event-id", Long.toString(m.eventId().getAsLong())).applyUserProperties();
        }
        return p.send().handle((result, err) -> {
            // A PUBACK with an error code comes as a failure (Mqtt5PubAckException) or as a result's error.
            Throwable failure = err != null ? err : result.getError().orElse(null);
            for (Throwable c = failure; c != null; c = c.getCause()) {
                if (c instanceof Mqtt5PubAckException refusal) {
                    throw refused(m, refusal.getMqttMessage().getReasonCode());
                }
            }
            if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1 && q1.getPubAck().getReasonCode().isError()) {
                throw refused(m, q1.getPubAck().getReasonCode());
            }
            if (failure != null) {
                throw new IllegalStateException(describe(failure));
            }
            return null;
        });
    }

    private static RefusedException refused(Outbound m, Mqtt5PubAckReasonCode code) {
        return new RefusedException("the broker refused to take " + m.topic() + " (" + code + ")"
                + (code == Mqtt5PubAckReasonCode.NOT_AUTHORIZED ? ": check its ACL for this client" : ""));
    }

    /** Subscribes to {@code filter}; {@code handler} gets each message's topic and payload on a virtual thread. */
    public void subscribe(String filter, BiConsumer<String, byte[]> handler)
            throws BrokerException, InterruptedException {
        try {
            client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> handler.accept(p.getTopic().toString(), p.getPayloadAsBytes()))
                    .send().get(CONNECT_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw classify(e.getCause());
        } catch (TimeoutException e) {
            throw new BrokerException("the broker did not answer a subscription to " + filter, false);
        }
    }

    public boolean connected() {
        return client.getState().isConnected();
    }

    /** Disconnects cleanly: the broker drops the will, so a stopped gateway says so itself (its last status). */
    public void disconnect() {
        try {
            if (client.getState().isConnected()) {
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        disconnect();
        callbacks.shutdown();
    }

    private static MqttQos qos(int q) {
        return q == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
    }

    private BrokerException classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Mqtt5ConnAckException ack) {
                var code = ack.getMqttMessage().getReasonCode();
                String why = switch (code) {
                    case BAD_USER_NAME_OR_PASSWORD -> "the broker refused the username or password";
                    // Mosquitto answers a wrong password with this one.
                    case NOT_AUTHORIZED -> "the broker refused the username or password, or this client";
                    case CLIENT_IDENTIFIER_NOT_VALID -> "the broker refused the client id '" + config.clientId() + "'";
                    default -> "the broker refused the connection";
                };
                return new BrokerException(why + " (" + code + ")", true);
            }
            if (c instanceof SSLException || c instanceof CertificateException) {
                // A certificate problem needs a person; a handshake cut short on a slow link is retried quietly.
                String problem = certificateProblem(c);
                return new BrokerException("TLS with " + config.url() + " failed: " + tlsFailure(c), problem != null);
            }
        }
        return new BrokerException(describe(t), false);
    }

    /** Why TLS failed: the certificate problem if that was it, else the exception in brief. */
    private static String tlsFailure(Throwable t) {
        String problem = certificateProblem(t);
        return problem != null ? problem
                : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** What is wrong with a certificate, in an installer's words, when that is why TLS failed; null otherwise. */
    private static String certificateProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("PKIX") || m.contains("unable to find valid certification path")) {
                return "the broker's certificate is not signed by a trusted CA (check uplink.mqtt.tls.ca-file)";
            }
            if (m.contains("No subject alternative") || m.contains("No name matching")) {
                return "the broker's certificate does not name the host in the url";
            }
            if (m.contains("expired") || m.contains("NotAfter")) {
                return "a certificate has expired";
            }
            if (m.contains("unknown_ca") || m.contains("certificate_unknown")) {
                return "the broker did not accept the client certificate (uplink.mqtt.tls.cert-file)";
            }
            if (m.contains("certificate_required") || m.contains("bad_certificate")) {
                return "the broker wants a client certificate it accepts (uplink.mqtt.tls.cert-file and key-file)";
            }
        }
        return null;
    }

    /** A failure in an installer's words; never a credential. */
    private String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "nothing accepts connections at " + config.url() + " (broker down or wrong port)";
            }
            if (c instanceof UnknownHostException) {
                return "unknown host " + config.host();
            }
            if (c instanceof NoRouteToHostException) {
                return "no route to " + config.host();
            }
            if (c instanceof SSLException) {
                return "TLS with " + config.url() + " failed: " + tlsFailure(c);
            }
        }
        if (t == null) {
            return "connection closed";
        }
        String m = t.getMessage();
        return "connection to " + config.url() + " lost" + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
