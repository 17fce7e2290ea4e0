package io.llmgw.core.protocol.openai;

import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/** Event payloads to check a one-pass reader against the tree code it replaced: recorded ones, and those broken. */
public final class RecordedEvents {
    private static final byte[] BREAKERS = "\"{}[],:\\n0-.eE \t".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NON_ASCII = {(byte) 0xc3, (byte) 0xa9, (byte) 0xff, (byte) 0xe2, (byte) 0x82, (byte) 0xf0, (byte) 0x80, 0x01};

    private RecordedEvents() {}

    /** Hands {@code check} {@code count} recorded events of under 4,000 bytes, each {@link #broken}, picked at random from {@code seed}. */
    public static void forEachBroken(long seed, int count, Consumer<byte[]> check) throws IOException, URISyntaxException {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> events = all().stream().filter(event -> event.length < 4_000).toList();
        for (int n = 0; n < count; n++) {
            check.accept(broken(random, events.get(random.nextInt(events.size()))));
        }
    }

    /** Hands {@code check} {@code count} objects of {@code shape}, generated from {@code seed}. */
    public static void forEachGenerated(long seed, int count, Function<SplittableRandom, String> shape, Consumer<byte[]> check) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < count; n++) {
            check.accept(shape.apply(random).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An input as a failure message shows it: at most its first 300 characters. */
    public static String shown(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** {@code event} with one byte replaced, inserted, or the rest cut off. */
    public static byte[] broken(SplittableRandom random, byte[] event) {
        byte[] chunk = event.clone();
        if (chunk.length == 0) {
            return chunk;
        }
        int at = random.nextInt(chunk.length);
        switch (random.nextInt(4)) {
            case 0 -> chunk[at] = BREAKERS[random.nextInt(BREAKERS.length)];
            case 1 -> chunk[at] = NON_ASCII[random.nextInt(NON_ASCII.length)];
            case 2 -> chunk = Arrays.copyOf(chunk, at);
            default -> {
                byte[] longer = Arrays.copyOf(chunk, chunk.length + 1);
                System.arraycopy(chunk, at, longer, at + 1, chunk.length - at);
                longer[at] = BREAKERS[random.nextInt(BREAKERS.length)];
                chunk = longer;
            }
        }
        return chunk;
    }

    /** The data of every event of the recorded upstream streams and of the fuzz corpus' inputs. */
    public static List<byte[]> all() throws IOException, URISyntaxException {
        List<byte[]> chunks = new ArrayList<>();
        for (String root : List.of("/golden", "/io/llmgw/core/fuzz/UpstreamReplyFuzzTestInputs")) {
            try (Stream<Path> files = Files.walk(Path.of(RecordedEvents.class.getResource(root).toURI()))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    if (root.startsWith("/io")) {
                        bytes = Arrays.copyOfRange(bytes, Math.min(2, bytes.length), bytes.length);  // the scenario's two bytes
                    } else if (!file.toString().endsWith(".sse")) {
                        chunks.add(bytes);
                        continue;
                    }
                    events(bytes, chunks);
                }
            }
        }
        return chunks;
    }

    private static void events(byte[] stream, List<byte[]> into) {
        SseReader reader = new SseReader(new ByteArrayInputStream(stream));
        try {
            for (SseEvent event; (event = reader.next()) != null; ) {
                into.add(event.data());
            }
        } catch (IOException | RuntimeException unreadable) {
            // The events before it count.
        }
    }
}
