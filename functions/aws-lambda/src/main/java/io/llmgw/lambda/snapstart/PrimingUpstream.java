package io.llmgw.lambda.snapstart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A loopback stand-in for an OpenAI-compatible upstream, alive only during priming: answers
 * chat completions with a short stream (or one JSON body), so the priming pass runs the same HTTP
 * client, SSE parser and encoders as a real request without leaving the machine or needing a key.
 */
final class PrimingUpstream implements AutoCloseable {
    private static final String[] EVENTS = {
        "{\"id\":\"chatcmpl-priming\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"priming\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
        "{\"id\":\"chatcmpl-priming\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"priming\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":null}]}",
        "{\"id\":\"chatcmpl-priming\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"priming\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}",
        "[DONE]"};
    private static final String COMPLETION = "{\"id\":\"chatcmpl-priming\",\"object\":\"chat.completion\",\"created\":0,"
            + "\"model\":\"priming\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";

    private final ServerSocket server;
    private final Thread acceptor;

    private PrimingUpstream() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::accept, "priming-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static PrimingUpstream start() throws IOException {
        return new PrimingUpstream();
    }

    String chatCompletionsUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions";
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                serve(socket);
            } catch (IOException e) {
                // closed at the end of priming, or a client gave up; either way nothing to do
            }
        }
    }

    private static void serve(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        int length = 0;
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        if (body.replace(" ", "").contains("\"stream\":true")) {
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n"
                    + "connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String event : EVENTS) {
                byte[] frame = ("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(frame.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(frame);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            byte[] json = COMPLETION.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + json.length
                    + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(json);
        }
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != -1 && b != '\n'; ) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
