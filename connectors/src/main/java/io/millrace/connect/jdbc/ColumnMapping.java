package io.millrace.connect.jdbc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Maps a result set's columns to a Connect struct schema, so records carry the column types:
 * integers by width, REAL/DOUBLE, NUMERIC/DECIMAL as the Decimal logical type (an unconstrained
 * PostgreSQL NUMERIC, which has no fixed scale, as FLOAT64), DATE/TIME/TIMESTAMP as the Date,
 * Time and Timestamp logical types (read in UTC), binary as BYTES, everything else as STRING.
 * Nullable columns are optional fields.
 */
final class ColumnMapping {
  static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

  private record Column(String name, int jdbcType, Schema schema, int scale) {}

  private final List<Column> columns = new ArrayList<>();
  private final Schema schema;

  ColumnMapping(String name, ResultSetMetaData md) throws SQLException {
    SchemaBuilder sb = SchemaBuilder.struct().name(name);
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String col = md.getColumnLabel(i);
      boolean optional = md.isNullable(i) != ResultSetMetaData.columnNoNulls;
      int type = md.getColumnType(i);
      int scale = md.getScale(i);
      SchemaBuilder field = fieldSchema(type, md.getPrecision(i), scale);
      if (optional) {
        field.optional();
      }
      Schema fs = field.build();
      sb.field(col, fs);
      columns.add(new Column(col, type, fs, scale));
    }
    schema = sb.build();
  }

  private static SchemaBuilder fieldSchema(int type, int precision, int scale) {
    return switch (type) {
      case Types.BOOLEAN, Types.BIT -> SchemaBuilder.bool();
      case Types.TINYINT -> SchemaBuilder.int8();
      case Types.SMALLINT -> SchemaBuilder.int16();
      case Types.INTEGER -> SchemaBuilder.int32();
      case Types.BIGINT -> SchemaBuilder.int64();
      case Types.REAL -> SchemaBuilder.float32();
      case Types.FLOAT, Types.DOUBLE -> SchemaBuilder.float64();
      case Types.NUMERIC, Types.DECIMAL ->
          precision <= 0 || precision > 1000 ? SchemaBuilder.float64()
              : Decimal.builder(Math.max(0, scale));
      case Types.DATE -> Date.builder();
      case Types.TIME, Types.TIME_WITH_TIMEZONE -> Time.builder();
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Timestamp.builder();
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> SchemaBuilder.bytes();
      default -> SchemaBuilder.string();
    };
  }

  Schema schema() {
    return schema;
  }

  Struct read(ResultSet rs) throws SQLException {
    Struct s = new Struct(schema);
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      s.put(c.name(), value(rs, i + 1, c));
    }
    return s;
  }

  private static Object value(ResultSet rs, int i, Column c) throws SQLException {
    Object v;
    Schema fs = c.schema();
    if (Decimal.LOGICAL_NAME.equals(fs.name())) {
      BigDecimal d = rs.getBigDecimal(i);
      v = d == null ? null : d.setScale(Math.max(0, c.scale()), RoundingMode.UNNECESSARY);
    } else if (Date.LOGICAL_NAME.equals(fs.name())) {
      java.sql.Date d = rs.getDate(i, UTC);
      v = d == null ? null : new java.util.Date(d.getTime());
    } else if (Time.LOGICAL_NAME.equals(fs.name())) {
      java.sql.Time t = rs.getTime(i, UTC);
      v = t == null ? null : new java.util.Date(t.getTime());
    } else if (Timestamp.LOGICAL_NAME.equals(fs.name())) {
      java.sql.Timestamp t = rs.getTimestamp(i, UTC);
      v = t == null ? null : new java.util.Date(t.getTime());
    } else {
      v = switch (fs.type()) {
        case BOOLEAN -> rs.getBoolean(i);
        case INT8 -> rs.getByte(i);
        case INT16 -> rs.getShort(i);
        case INT32 -> rs.getInt(i);
        case INT64 -> rs.getLong(i);
        case FLOAT32 -> rs.getFloat(i);
        case FLOAT64 -> rs.getDouble(i);
        case BYTES -> rs.getBytes(i);
        default -> rs.getString(i);
      };
    }
    return rs.wasNull() ? null : v;
  }
}
