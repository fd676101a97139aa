package io.millrace.connect.cdc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * PostgreSQL types (by OID) to Connect types, from their text form (what pgoutput sends, and
 * what the snapshot reads with {@code getString}, so both agree): integers by width, float4/8,
 * numeric with a declared scale as Decimal (unconstrained numeric as its exact text), date,
 * time, timestamp (UTC) and timestamptz as the logical types, bytea as BYTES, the rest
 * (text, varchar, uuid, json, arrays, ...) as STRING.
 */
final class PgTypes {
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();
  private static final DateTimeFormatter TIMESTAMPTZ = new DateTimeFormatterBuilder()
      .append(TIMESTAMP).appendPattern("[XXXXX][XXX][X]").toFormatter();

  private PgTypes() {}

  static SchemaBuilder schema(int oid, int typmod) {
    return switch (oid) {
      case 16 -> SchemaBuilder.bool();
      case 21 -> SchemaBuilder.int16();
      case 23 -> SchemaBuilder.int32();
      case 20, 26 -> SchemaBuilder.int64();
      case 700 -> SchemaBuilder.float32();
      case 701 -> SchemaBuilder.float64();
      case 1700 -> typmod < 0 ? SchemaBuilder.string() : Decimal.builder(scale(typmod));
      case 1082 -> Date.builder();
      case 1083 -> Time.builder();
      case 1114, 1184 -> Timestamp.builder();
      case 17 -> SchemaBuilder.bytes();
      default -> SchemaBuilder.string();
    };
  }

  private static int scale(int typmod) {
    return (typmod - 4) & 0xffff;
  }

  static Object value(int oid, int typmod, String text) {
    if (text == null) {
      return null;
    }
    try {
      return switch (oid) {
        case 16 -> text.equals("t") || text.equalsIgnoreCase("true");
        case 21 -> Short.parseShort(text);
        case 23 -> Integer.parseInt(text);
        case 20, 26 -> Long.parseLong(text);
        case 700 -> Float.parseFloat(text);
        case 701 -> Double.parseDouble(text);
        case 1700 -> typmod < 0 ? text
            : new BigDecimal(text).setScale(scale(typmod), RoundingMode.UNNECESSARY);
        case 1082 -> new java.util.Date(LocalDate.parse(text).toEpochDay() * 86_400_000L);
        case 1083 -> new java.util.Date(LocalTime.parse(text).toNanoOfDay() / 1_000_000L);
        case 1114 -> java.util.Date.from(LocalDateTime.parse(text, TIMESTAMP)
            .toInstant(ZoneOffset.UTC));
        case 1184 -> java.util.Date.from(OffsetDateTime.parse(text, TIMESTAMPTZ).toInstant());
        case 17 -> text.startsWith("\\x") ? HexFormat.of().parseHex(text.substring(2))
            : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        default -> text;
      };
    } catch (RuntimeException e) {
      throw new DataException("Cannot read PostgreSQL value '" + text + "' of type " + oid, e);
    }
  }
}
