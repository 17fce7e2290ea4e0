package io.llmgw.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A calibration target, not a gateway: a byte-for-byte TCP relay in front of the fake upstream
 * that does no HTTP at all (one upstream connection per client connection, two threads copying
 * bytes). Measured like the gateway (with {@code --relay-url}), its added latency is about the
 * least any extra loopback hop in a JVM costs on the machine at hand, which puts the gateway's
 * added latency and the targets in proportion.
 * {@code java -cp gateway-bench.jar io.llmgw.bench.TcpRelayMain <listen port> <upstream host> <upstream port>}
 */
public final class TcpRelayMain {
    private TcpRelayMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: TcpRelayMain <listen port> <upstream host> <upstream port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        InetSocketAddress upstream = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            System.out.println("tcp relay listening on " + port + ", relaying to " + upstream);
            while (true) {
                Socket client = server.accept();
                Thread.ofPlatform().daemon().start(() -> relay(client, upstream));
            }
        }
    }

    private static void relay(Socket client, InetSocketAddress address) {
        try (client; Socket upstream = new Socket()) {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(address, 5000);
            Thread back = Thread.ofPlatform().daemon().start(() -> copy(upstream, client));
            copy(client, upstream);
            back.join();
        } catch (IOException | InterruptedException e) {
            // one side went away; the try closes both
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
