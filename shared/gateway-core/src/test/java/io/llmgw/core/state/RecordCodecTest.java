package io.llmgw.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The bytes a record is kept as: compressed when large, sealed when a key is given, and read back only when intact. */
class RecordCodecTest {
    private static final SecretKeySpec KEY = new SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), "AES");
    private static final byte[] SMALL = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LARGE = ("{\"text\":\"" + "all work and no play ".repeat(500) + "\"}").getBytes(StandardCharsets.UTF_8);

    @Test
    void smallRecordsStayAsTheyAreAndLargeOnesAreCompressed() throws Exception {
        RecordCodec codec = new RecordCodec(null, 1 << 20);

        byte[] small = codec.encode(SMALL, "k");
        byte[] large = codec.encode(LARGE, "k");

        assertThat(small).hasSize(SMALL.length + 2);
        assertThat(large.length).isLessThan(LARGE.length / 10);
        assertThat(codec.decode(small, "k")).isEqualTo(SMALL);
        assertThat(codec.decode(large, "k")).isEqualTo(LARGE);
    }

    @Test
    void aSealedRecordOpensOnlyWithItsKeyUnderItsStorageKeyAndUnaltered() throws Exception {
        RecordCodec codec = new RecordCodec(KEY, 1 << 20);
        byte[] sealed = codec.encode(LARGE, "responses:alice:resp_1");

        assertThat(codec.decode(sealed, "responses:alice:resp_1")).isEqualTo(LARGE);
        assertThat(codec.encode(LARGE, "responses:alice:resp_1")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThatThrownBy(() -> codec.decode(sealed, "responses:bob:resp_1")).isInstanceOf(RecordCodec.Unreadable.class);
        byte[] altered = sealed.clone();
        altered[altered.length / 2] ^= 1;
        assertThatThrownBy(() -> codec.decode(altered, "responses:alice:resp_1")).isInstanceOf(RecordCodec.Unreadable.class);
        SecretKeySpec other = new SecretKeySpec("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII), "AES");
        assertThatThrownBy(() -> new RecordCodec(other, 1 << 20).decode(sealed, "responses:alice:resp_1"))
                .isInstanceOf(RecordCodec.Unreadable.class);
        assertThatThrownBy(() -> new RecordCodec(null, 1 << 20).decode(sealed, "responses:alice:resp_1"))
                .isInstanceOf(RecordCodec.Unreadable.class).hasMessageContaining("no encryption key");
        // with a key configured, an unsealed record is not one this configuration wrote
        byte[] plain = new RecordCodec(null, 1 << 20).encode(SMALL, "responses:alice:resp_1");
        assertThatThrownBy(() -> codec.decode(plain, "responses:alice:resp_1")).isInstanceOf(RecordCodec.Unreadable.class);
    }

    @Test
    void damagedOrHostileBytesAreUnreadableNeverAFailure() throws Exception {
        RecordCodec codec = new RecordCodec(null, 64 * 1024);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(new byte[] {1, 1});
        try (GZIPOutputStream zip = new GZIPOutputStream(bomb)) {
            zip.write(new byte[10 * 1024 * 1024]);  // 10 MB of zeros in about 10 KB
        }

        for (byte[] stored : new byte[][] {{}, {1}, {9, 0, '{', '}'}, {1, 1, 'n', 'o', 't', ' ', 'g', 'z'}, {1, 2, 0, 0}, bomb.toByteArray()}) {
            assertThatThrownBy(() -> codec.decode(stored, "k")).isInstanceOf(RecordCodec.Unreadable.class);
        }
    }
}
