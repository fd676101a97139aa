package io.millrace.connect.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.connect.cdc.PgOutputDecoder.Begin;
import io.millrace.connect.cdc.PgOutputDecoder.Change;
import io.millrace.connect.cdc.PgOutputDecoder.Commit;
import io.millrace.connect.cdc.PgOutputDecoder.Relation;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** pgoutput messages built byte by byte as PostgreSQL sends them, and the type mapping. */
class PgOutputDecoderTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(bytes);

  private ByteBuffer done() {
    return ByteBuffer.wrap(bytes.toByteArray());
  }

  private void str(String s) throws Exception {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }

  private void text(String s) throws Exception {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write('t');
    out.writeInt(b.length);
    out.write(b);
  }

  @Test
  void beginAndCommit() throws Exception {
    out.write('B');
    out.writeLong(0x16B3748L);
    out.writeLong(1_000_000L);
    out.writeInt(-2); // xids are unsigned
    Begin b = (Begin) PgOutputDecoder.decode(done());
    assertThat(b.finalLsn()).isEqualTo(0x16B3748L);
    assertThat(b.xid()).isEqualTo(4294967294L);
    bytes.reset();
    out.write('C');
    out.write(0);
    out.writeLong(10);
    out.writeLong(20);
    out.writeLong(30);
    assertThat(PgOutputDecoder.decode(done())).isEqualTo(new Commit(10, 20, 30));
  }

  @Test
  void relationAndAnUpdateWithItsOldImage() throws Exception {
    out.write('R');
    out.writeInt(16385);
    str("public");
    str("orders");
    out.write('f');
    out.writeShort(2);
    out.write(1);
    str("id");
    out.writeInt(23);
    out.writeInt(-1);
    out.write(0);
    str("note");
    out.writeInt(25);
    out.writeInt(-1);
    Relation r = (Relation) PgOutputDecoder.decode(done());
    assertThat(r.namespace()).isEqualTo("public");
    assertThat(r.columns()).containsExactly("id", "note");
    bytes.reset();
    out.write('U');
    out.writeInt(16385);
    out.write('O');
    out.writeShort(2);
    text("7");
    out.write('n');
    out.write('N');
    out.writeShort(2);
    text("7");
    out.write('u');
    Change c = (Change) PgOutputDecoder.decode(done());
    assertThat(c.op()).isEqualTo('u');
    assertThat(c.before().values()).containsExactly("7", null);
    assertThat(c.after().present()).containsExactly(true, false);
  }

  @Test
  void aDeleteNeedsAnOldTuple() throws Exception {
    out.write('D');
    out.writeInt(1);
    out.write('N');
    assertThatThrownBy(() -> PgOutputDecoder.decode(done()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("old tuple");
  }

  @Test
  void textValuesBecomeConnectTypes() {
    assertThat(PgTypes.value(16, -1, "t")).isEqualTo(true);
    assertThat(PgTypes.value(20, -1, "-9000000000")).isEqualTo(-9_000_000_000L);
    assertThat(PgTypes.value(1700, (8 << 16 | 2) + 4, "12.5")).isEqualTo(new BigDecimal("12.50"));
    assertThat(PgTypes.value(1700, -1, "3.14159")).isEqualTo("3.14159");
    assertThat(PgTypes.value(1082, -1, "1970-01-02")).isEqualTo(new java.util.Date(86_400_000L));
    assertThat(PgTypes.value(1114, -1, "2024-03-01 12:00:00.5"))
        .isEqualTo(new java.util.Date(1_709_294_400_500L));
    assertThat(PgTypes.value(1184, -1, "2024-03-01 14:00:00+02"))
        .isEqualTo(new java.util.Date(1_709_294_400_000L));
    assertThat(PgTypes.value(17, -1, "\\x00ff")).isEqualTo(new byte[] {0, (byte) 0xff});
    assertThat(PgTypes.value(2950, -1, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        .isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  }
}
