package io.millrace.connect.cdc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes pgoutput (protocol version 1) messages. Layouts (big-endian):
 *
 * <pre>
 *   'B' final_lsn:i64 commit_ts:i64 xid:i32
 *   'C' flags:i8 commit_lsn:i64 end_lsn:i64 commit_ts:i64
 *   'R' relid:i32 namespace:str name:str replica_identity:i8 ncols:i16
 *       { flags:i8 name:str type_oid:i32 typmod:i32 } * ncols
 *   'I' relid:i32 'N' tuple
 *   'U' relid:i32 [ 'K' tuple | 'O' tuple ] 'N' tuple
 *   'D' relid:i32 ( 'K' | 'O' ) tuple
 *   tuple = ncols:i16 { 'n' | 'u' | 't' len:i32 bytes } * ncols
 *   str = bytes 0x00
 * </pre>
 *
 * Other messages (type 'Y', origin 'O', truncate 'T', logical 'M') decode to {@link Other}.
 */
final class PgOutputDecoder {
  sealed interface Message permits Begin, Commit, Relation, Change, Other {}

  record Begin(long finalLsn, long commitTsMicros, long xid) implements Message {}

  record Commit(long commitLsn, long endLsn, long commitTsMicros) implements Message {}

  record Relation(int id, String namespace, String name, List<String> columns)
      implements Message {}

  /** A row image: text values, and whether each was sent ('u' = unchanged TOAST = absent). */
  record Tuple(List<String> values, List<Boolean> present) {}

  record Change(char op, int relationId, Tuple before, Tuple after) implements Message {}

  record Other(char type) implements Message {}

  private PgOutputDecoder() {}

  static Message decode(ByteBuffer b) {
    char type = (char) b.get();
    return switch (type) {
      case 'B' -> new Begin(b.getLong(), b.getLong(), Integer.toUnsignedLong(b.getInt()));
      case 'C' -> {
        b.get();
        yield new Commit(b.getLong(), b.getLong(), b.getLong());
      }
      case 'R' -> {
        int id = b.getInt();
        String ns = string(b);
        String name = string(b);
        b.get();
        int n = b.getShort();
        List<String> cols = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          b.get();
          cols.add(string(b));
          b.getInt();
          b.getInt();
        }
        yield new Relation(id, ns, name, cols);
      }
      case 'I' -> {
        int rel = b.getInt();
        expect(b, 'N');
        yield new Change('c', rel, null, tuple(b));
      }
      case 'U' -> {
        int rel = b.getInt();
        char kind = (char) b.get();
        Tuple before = null;
        if (kind == 'K' || kind == 'O') {
          before = tuple(b);
          kind = (char) b.get();
        }
        if (kind != 'N') {
          throw new IllegalArgumentException("pgoutput update without a new tuple: " + kind);
        }
        yield new Change('u', rel, before, tuple(b));
      }
      case 'D' -> {
        int rel = b.getInt();
        char kind = (char) b.get();
        if (kind != 'K' && kind != 'O') {
          throw new IllegalArgumentException("pgoutput delete without an old tuple: " + kind);
        }
        yield new Change('d', rel, tuple(b), null);
      }
      default -> new Other(type);
    };
  }

  private static void expect(ByteBuffer b, char c) {
    char got = (char) b.get();
    if (got != c) {
      throw new IllegalArgumentException("pgoutput: expected '" + c + "', got '" + got + "'");
    }
  }

  private static Tuple tuple(ByteBuffer b) {
    int n = b.getShort();
    List<String> values = new ArrayList<>(n);
    List<Boolean> present = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      char kind = (char) b.get();
      switch (kind) {
        case 'n' -> {
          values.add(null);
          present.add(true);
        }
        case 'u' -> {
          values.add(null);
          present.add(false);
        }
        case 't' -> {
          byte[] bytes = new byte[b.getInt()];
          b.get(bytes);
          values.add(new String(bytes, StandardCharsets.UTF_8));
          present.add(true);
        }
        default -> throw new IllegalArgumentException("pgoutput: unknown tuple column kind "
            + kind);
      }
    }
    return new Tuple(values, present);
  }

  private static String string(ByteBuffer b) {
    int start = b.position();
    while (b.get() != 0) {
      // scan to the terminating zero
    }
    byte[] bytes = new byte[b.position() - start - 1];
    b.position(start);
    b.get(bytes);
    b.get();
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
