package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.Gateway;
import io.llmgw.core.LiveGateway;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an answer becomes on the connection: small writes gathered up to 2 KB and sent on flush, a
 * larger one sent as it is, a whole answer leaving with its head in one piece, no body for HEAD,
 * {@code connection: close} when the client or the gateway asked for it, a cut connection when an
 * answer cannot be finished, and a stream that may go on from another thread.
 */
class ChannelStreamSinkTest {
    private LiveGateway gateway;
    private final EventLoops loops = new EventLoops();
    private GatewayServer server;
    private EmbeddedChannel channel;
    private HttpConnection connection;

    @BeforeEach
    void connect() {
        gateway = LiveGateway.fixed(ConfigLoader.load(Map.of("BACKEND_URL", "http://127.0.0.1:9/v1/chat/completions",
                "HEALTH_CHECK_INTERVAL_MS", "off")), (config, events) -> new Gateway(config));
        server = new GatewayServer(gateway, new ServerSettings(0, null, java.time.Duration.ofSeconds(30), 16 * 1024, 8192), loops);
        connection = new HttpConnection(server);
        channel = new EmbeddedChannel(connection);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        server.close();
        gateway.close();
        loops.close();
    }

    private ChannelStreamSink sink(boolean head, boolean keepAlive) {
        return new ChannelStreamSink(connection, HttpVersion.HTTP_1_1, head, keepAlive, false, new RequestBody(connection, 0, false));
    }

    /** What went out: the head, then the size of each piece of body, -1 for the end. */
    private List<Object> written() {
        List<Object> out = new ArrayList<>();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            if (msg instanceof HttpResponse response) {
                out.add(response.status().code() + " " + response.headers().get("transfer-encoding") + " " + response.headers().get("connection"));
            }
            if (msg instanceof HttpContent content) {
                ByteBuf data = content.content();
                if (data.isReadable()) {
                    out.add(data.readableBytes());
                }
                if (content instanceof LastHttpContent) {
                    out.add(-1);
                }
            }
            ReferenceCountUtil.release(msg);
        }
        return out;
    }

    private static byte[] bytes(int count) {
        return "x".repeat(count).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void smallWritesAreGatheredUpTo2KbAndGoOutOnFlush() throws Exception {
        ChannelStreamSink sink = sink(false, true);
        sink.start(200, Headers.of("content-type", "text/event-stream"));
        for (int i = 0; i < 3; i++) {
            sink.write(bytes(100));
        }
        assertThat(written()).as("nothing before the flush").isEmpty();
        sink.flush();
        assertThat(written()).containsExactly("200 chunked null", 300);

        sink.write(bytes(1500));
        sink.write(bytes(1000));  // would overflow the 2 KB gathered: the 1,500 go first
        sink.write(bytes(5000));  // larger than the buffer: out as it is, after the 1,000
        sink.flush();
        assertThat(written()).containsExactly(1500, 1000, 5000);

        assertThat(sink.detach()).as("a stream may go on from another thread").isTrue();
        sink.complete();
        assertThat(written()).containsExactly(-1);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aWholeAnswerLeavesWithItsHeadInOnePiece() throws Exception {
        ChannelStreamSink sink = sink(false, true);
        sink.start(200, Headers.of("content-type", "application/json", "content-length", "60000"));
        sink.write(bytes(60_000));
        sink.flush();  // as the gateway's whole answers do before they end
        assertThat((Object) channel.readOutbound()).as("the flush waits for the end").isNull();
        sink.complete();
        Object only = channel.readOutbound();
        assertThat(only).isInstanceOf(FullHttpResponse.class);
        assertThat(((FullHttpResponse) only).content().readableBytes()).isEqualTo(60_000);
        assertThat(((FullHttpResponse) only).content().isDirect()).as("written on the loop: its own buffers, no second copy").isTrue();
        assertThat(((FullHttpResponse) only).headers().get("date")).isNotBlank();
        ReferenceCountUtil.release(only);
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void headAnswersCarryNoBody() throws Exception {
        ChannelStreamSink sink = sink(true, true);
        sink.start(200, Headers.of("content-type", "application/json", "content-length", "94"));
        sink.write(bytes(94));
        sink.complete();
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.content().readableBytes()).isZero();
        assertThat(response.headers().get("content-length")).isEqualTo("94");
        response.release();
    }

    @Test
    void anAnswerAfterWhichTheConnectionEndsSaysSo() throws Exception {
        ChannelStreamSink asked = sink(false, false);  // the client's Connection: close (HttpProtocolTest: the close itself)
        asked.start(200, Headers.of("content-type", "text/event-stream"));
        asked.write(bytes(10));
        asked.complete();
        assertThat(written()).containsExactly("200 chunked close", 10, -1);

        ChannelStreamSink refusedUpgrade = sink(false, true);  // the gateway's own
        refusedUpgrade.start(426, Headers.of("content-type", "application/json", "content-length", "2", "connection", "close"));
        refusedUpgrade.write(bytes(2));
        refusedUpgrade.complete();
        assertThat(written()).as("one whole answer").containsExactly("426 null close", 2, -1);
    }

    @Test
    void theConnectionsOwnLinesReplaceTheGatewaysOfTheSameName() throws Exception {
        ChannelStreamSink sink = sink(false, false);
        sink.start(200, Headers.of("content-type", "text/event-stream", "date", "Thu, 01 Jan 1970 00:00:00 GMT",
                "connection", "keep-alive", "transfer-encoding", "identity"));
        sink.write(bytes(10));
        sink.complete();
        HttpResponse head = channel.readOutbound();
        assertThat(head.headers().getAll("date")).hasSize(1).doesNotContain("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(head.headers().getAll("connection")).containsExactly("close");
        assertThat(head.headers().getAll("transfer-encoding")).containsExactly("chunked");
        assertThat(head.headers().get("content-type")).isEqualTo("text/event-stream");
        ReferenceCountUtil.release(head);
        assertThat(written()).containsExactly(10, -1);
    }

    @Test
    void aFailedStreamEndsItsBodyButAnAnswerShortOfItsLengthIsCut() throws Exception {
        ChannelStreamSink stream = sink(false, true);
        stream.start(200, Headers.of("content-type", "text/event-stream"));
        stream.write("data: {\"error\":{}}\n\n".getBytes(StandardCharsets.US_ASCII));
        stream.fail(new java.io.IOException("upstream lost"));
        assertThat(written()).as("the error event, then the last chunk").containsExactly("200 chunked null", 20, -1);
        assertThat(channel.isOpen()).isTrue();

        ChannelStreamSink whole = sink(false, true);
        whole.start(200, Headers.of("content-type", "application/json", "content-length", "100"));
        whole.write(bytes(40));
        whole.fail(new java.io.IOException("upstream lost"));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("40 of 100 bytes cannot be framed as an answer").isFalse();
    }
}
