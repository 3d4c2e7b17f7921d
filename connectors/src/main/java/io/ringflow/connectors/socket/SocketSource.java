package io.ringflow.connectors.socket;

import io.ringflow.Source;
import io.ringflow.SourceContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads lines of text from a TCP server, as in the classic streaming word count fed by
 * {@code nc -lk 9999}. Ends when the server closes the connection; stopping the pipeline
 * ends it within {@link #POLL} even while the server is silent. No reconnection: a socket
 * source is for demos and tests, not for data that must not be lost: it is not
 * {@linkplain #replayable() replayable}, so a pipeline with checkpointing refuses it.
 *
 * <pre>{@code builder.source("lines", SocketSource.lines("localhost", 9999))}</pre>
 */
public final class SocketSource implements Source<String> {

    /** How long a read waits before checking whether the pipeline is stopping. */
    public static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final int port;

    private SocketSource(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public static SocketSource lines(String host, int port) {
        if (host == null || host.isBlank() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("a socket source needs a host and a port in 1..65535, got "
                    + host + ":" + port);
        }
        return new SocketSource(host, port);
    }

    /** A socket cannot send again what it sent: a pipeline with checkpointing refuses this source. */
    @Override
    public boolean replayable() {
        return false;
    }

    @Override
    public void run(SourceContext<String> context) throws IOException {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            } catch (IOException e) {
                throw new IOException("cannot connect to " + host + ":" + port + " (" + e.getMessage()
                        + "); is the server running? For a quick one: nc -lk " + port, e);
            }
            socket.setSoTimeout((int) POLL.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder partial = new StringBuilder();
            while (context.isRunning()) {
                int c;
                try {
                    c = in.read();
                } catch (SocketTimeoutException quiet) {
                    continue;
                }
                if (c == -1) {
                    if (!partial.isEmpty()) {
                        context.emit(partial.toString());
                    }
                    return;
                }
                if (c == '\n') {
                    int end = partial.length();
                    if (end > 0 && partial.charAt(end - 1) == '\r') {
                        partial.setLength(end - 1);
                    }
                    context.emit(partial.toString());
                    partial.setLength(0);
                } else {
                    partial.append((char) c);
                }
            }
        }
    }
}
