package io.millrace.engine.group.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.types.ArrayOf;
import org.apache.kafka.common.protocol.types.Field;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.SchemaException;
import org.apache.kafka.common.protocol.types.Struct;
import org.apache.kafka.common.protocol.types.Type;

/**
 * Kafka's own key and value layouts of {@code __consumer_offsets}, so the topic's bytes read the
 * same here as in Apache Kafka (and its tools, such as {@code kafka-console-consumer} with the
 * offsets formatter, can read ours).
 *
 * <p>Every key and value starts with a big-endian int16 version. Strings are an int16 length and
 * UTF-8 bytes (length -1 for a nullable null); bytes an int32 length and the bytes; arrays an
 * int32 count and the elements.
 *
 * <pre>
 * key v0/v1: offset commit                 key v2: group metadata
 * +---------+-------------+-------------+-----------+    +---------+-------------+
 * | int16 v | group:str   | topic:str   | part:i32  |    | int16 2 | group:str   |
 * +---------+-------------+-------------+-----------+    +---------+-------------+
 *
 * offset commit value (we write v3, or v1 when the commit carried a retention time)
 * v0, v2: | offset:i64 | metadata:str | commit_ts:i64 |
 * v1:     | offset:i64 | metadata:str | commit_ts:i64 | expire_ts:i64 |
 * v3:     | offset:i64 | leader_epoch:i32 | metadata:str | commit_ts:i64 |
 * v4:     as v3 with a compact (uvarint length+1) metadata string and a tagged-fields section
 *
 * group metadata value (we write v3)
 * | protocol_type:str | generation:i32 | protocol:str? | leader:str? | state_ts:i64 (v2+) | members:[member] |
 * member: | member_id:str | instance_id:str? (v3+) | client_id:str | client_host:str |
 *         | rebalance_timeout:i32 (v1+) | session_timeout:i32 | subscription:bytes | assignment:bytes |
 * </pre>
 *
 * A null value (tombstone) deletes the key. Thread-safe (stateless).
 */
public final class GroupRecordSerde {

    static final short OFFSET_COMMIT_KEY_V0 = 0;
    static final short OFFSET_COMMIT_KEY_V1 = 1;
    static final short GROUP_METADATA_KEY_V2 = 2;
    static final short OFFSET_VALUE_WITH_EXPIRY = 1;
    static final short OFFSET_VALUE_CURRENT = 3;
    static final short GROUP_VALUE_CURRENT = 3;

    private static final Schema OFFSET_COMMIT_KEY = new Schema(
            new Field("group", Type.STRING), new Field("topic", Type.STRING), new Field("partition", Type.INT32));
    private static final Schema GROUP_METADATA_KEY = new Schema(new Field("group", Type.STRING));

    private static final Schema[] OFFSET_VALUE = {
        new Schema(new Field("offset", Type.INT64), new Field("metadata", Type.STRING),
                new Field("commit_timestamp", Type.INT64)),
        new Schema(new Field("offset", Type.INT64), new Field("metadata", Type.STRING),
                new Field("commit_timestamp", Type.INT64), new Field("expire_timestamp", Type.INT64)),
        new Schema(new Field("offset", Type.INT64), new Field("metadata", Type.STRING),
                new Field("commit_timestamp", Type.INT64)),
        new Schema(new Field("offset", Type.INT64), new Field("leader_epoch", Type.INT32),
                new Field("metadata", Type.STRING), new Field("commit_timestamp", Type.INT64)),
        new Schema(new Field("offset", Type.INT64), new Field("leader_epoch", Type.INT32),
                new Field("metadata", Type.COMPACT_STRING), new Field("commit_timestamp", Type.INT64),
                Field.TaggedFieldsSection.of()),
    };

    private static final Schema[] MEMBER = {
        new Schema(new Field("member_id", Type.STRING), new Field("client_id", Type.STRING),
                new Field("client_host", Type.STRING), new Field("session_timeout", Type.INT32),
                new Field("subscription", Type.BYTES), new Field("assignment", Type.BYTES)),
        memberWithRebalanceTimeout(),
        memberWithRebalanceTimeout(),
        new Schema(new Field("member_id", Type.STRING), new Field("group_instance_id", Type.NULLABLE_STRING),
                new Field("client_id", Type.STRING), new Field("client_host", Type.STRING),
                new Field("rebalance_timeout", Type.INT32), new Field("session_timeout", Type.INT32),
                new Field("subscription", Type.BYTES), new Field("assignment", Type.BYTES)),
    };

    private static final Schema[] GROUP_VALUE = {
        groupValue(MEMBER[0], false), groupValue(MEMBER[1], false), groupValue(MEMBER[2], true),
        groupValue(MEMBER[3], true),
    };

    private GroupRecordSerde() {
    }

    private static Schema memberWithRebalanceTimeout() {
        return new Schema(new Field("member_id", Type.STRING), new Field("client_id", Type.STRING),
                new Field("client_host", Type.STRING), new Field("rebalance_timeout", Type.INT32),
                new Field("session_timeout", Type.INT32), new Field("subscription", Type.BYTES),
                new Field("assignment", Type.BYTES));
    }

    private static Schema groupValue(Schema member, boolean withStateTimestamp) {
        List<Field> fields = new ArrayList<>(List.of(new Field("protocol_type", Type.STRING),
                new Field("generation", Type.INT32), new Field("protocol", Type.NULLABLE_STRING),
                new Field("leader", Type.NULLABLE_STRING)));
        if (withStateTimestamp) {
            fields.add(new Field("current_state_timestamp", Type.INT64));
        }
        fields.add(new Field("members", new ArrayOf(member)));
        return new Schema(fields.toArray(new Field[0]));
    }

    /** The record's key bytes. */
    public static ByteBuffer serializeKey(GroupRecord record) {
        if (record instanceof GroupRecord.OffsetCommit commit) {
            Struct key = new Struct(OFFSET_COMMIT_KEY).set("group", commit.groupId())
                    .set("topic", commit.partition().topic()).set("partition", commit.partition().partition());
            return withVersion(OFFSET_COMMIT_KEY_V1, OFFSET_COMMIT_KEY, key);
        }
        Struct key = new Struct(GROUP_METADATA_KEY).set("group", record.groupId());
        return withVersion(GROUP_METADATA_KEY_V2, GROUP_METADATA_KEY, key);
    }

    /** The record's value bytes, or null for a tombstone. */
    public static ByteBuffer serializeValue(GroupRecord record) {
        if (record.isTombstone()) {
            return null;
        }
        if (record instanceof GroupRecord.OffsetCommit commit) {
            return serializeOffsetValue(commit.value());
        }
        return serializeGroupValue(((GroupRecord.GroupMetadata) record).value());
    }

    private static ByteBuffer serializeOffsetValue(OffsetCommitValue value) {
        short version = value.hasExpireTimestamp() ? OFFSET_VALUE_WITH_EXPIRY : OFFSET_VALUE_CURRENT;
        Schema schema = OFFSET_VALUE[version];
        Struct struct = new Struct(schema).set("offset", value.offset()).set("metadata", value.metadata())
                .set("commit_timestamp", value.commitTimestampMs());
        if (version == OFFSET_VALUE_WITH_EXPIRY) {
            struct.set("expire_timestamp", value.expireTimestampMs());
        } else {
            struct.set("leader_epoch", value.leaderEpoch());
        }
        return withVersion(version, schema, struct);
    }

    private static ByteBuffer serializeGroupValue(GroupMetadataValue value) {
        Schema schema = GROUP_VALUE[GROUP_VALUE_CURRENT];
        Schema memberSchema = MEMBER[GROUP_VALUE_CURRENT];
        Object[] members = value.members().stream().map(m -> new Struct(memberSchema)
                .set("member_id", m.memberId()).set("group_instance_id", m.groupInstanceId())
                .set("client_id", m.clientId()).set("client_host", m.clientHost())
                .set("rebalance_timeout", m.rebalanceTimeoutMs()).set("session_timeout", m.sessionTimeoutMs())
                .set("subscription", ByteBuffer.wrap(m.subscription()))
                .set("assignment", ByteBuffer.wrap(m.assignment()))).toArray();
        Struct struct = new Struct(schema).set("protocol_type", value.protocolType())
                .set("generation", value.generation()).set("protocol", value.protocol())
                .set("leader", value.leader()).set("current_state_timestamp", value.currentStateTimestampMs())
                .set("members", members);
        return withVersion(GROUP_VALUE_CURRENT, schema, struct);
    }

    private static ByteBuffer withVersion(short version, Schema schema, Struct struct) {
        ByteBuffer buffer = ByteBuffer.allocate(2 + schema.sizeOf(struct));
        buffer.putShort(version);
        schema.write(buffer, struct);
        return buffer.flip();
    }

    /**
     * Reads one record. Returns empty for a key version this coordinator does not model (records of
     * Kafka's newer group types); throws {@link InvalidGroupRecordException} for bytes that do not
     * parse. The buffers are not modified.
     */
    public static Optional<GroupRecord> deserialize(ByteBuffer keyBuffer, ByteBuffer valueBuffer) {
        if (keyBuffer == null) {
            throw new InvalidGroupRecordException("record without a key");
        }
        ByteBuffer key = keyBuffer.duplicate();
        ByteBuffer value = valueBuffer == null ? null : valueBuffer.duplicate();
        try {
            short keyVersion = readVersion(key, "key");
            switch (keyVersion) {
                case OFFSET_COMMIT_KEY_V0, OFFSET_COMMIT_KEY_V1 -> {
                    Struct k = readFully(OFFSET_COMMIT_KEY, key, "offset commit key");
                    TopicPartition tp = new TopicPartition(k.getString("topic"), k.getInt("partition"));
                    return Optional.of(new GroupRecord.OffsetCommit(k.getString("group"), tp,
                            value == null ? null : readOffsetValue(value)));
                }
                case GROUP_METADATA_KEY_V2 -> {
                    Struct k = readFully(GROUP_METADATA_KEY, key, "group metadata key");
                    return Optional.of(new GroupRecord.GroupMetadata(k.getString("group"),
                            value == null ? null : readGroupValue(value)));
                }
                default -> {
                    if (keyVersion < 0) {
                        throw new InvalidGroupRecordException("negative key version " + keyVersion);
                    }
                    return Optional.empty();
                }
            }
        } catch (SchemaException | java.nio.BufferUnderflowException e) {
            throw new InvalidGroupRecordException("unreadable record: " + e.getMessage(), e);
        }
    }

    private static OffsetCommitValue readOffsetValue(ByteBuffer value) {
        short version = readVersion(value, "offset commit value");
        if (version < 0 || version >= OFFSET_VALUE.length) {
            throw new InvalidGroupRecordException("unknown offset commit value version " + version);
        }
        Struct v = readFully(OFFSET_VALUE[version], value, "offset commit value v" + version);
        int leaderEpoch = version >= 3 ? v.getInt("leader_epoch") : OffsetCommitValue.NO_LEADER_EPOCH;
        long expire = version == 1 ? v.getLong("expire_timestamp") : OffsetCommitValue.NO_EXPIRE_TIMESTAMP;
        return new OffsetCommitValue(v.getLong("offset"), leaderEpoch, v.getString("metadata"),
                v.getLong("commit_timestamp"), expire);
    }

    private static GroupMetadataValue readGroupValue(ByteBuffer value) {
        short version = readVersion(value, "group metadata value");
        if (version < 0 || version >= GROUP_VALUE.length) {
            throw new InvalidGroupRecordException("unknown group metadata value version " + version);
        }
        Struct v = readFully(GROUP_VALUE[version], value, "group metadata value v" + version);
        List<GroupMetadataValue.Member> members = new ArrayList<>();
        for (Object o : v.getArray("members")) {
            Struct m = (Struct) o;
            int sessionTimeout = m.getInt("session_timeout");
            members.add(new GroupMetadataValue.Member(m.getString("member_id"),
                    version >= 3 ? m.getString("group_instance_id") : null, m.getString("client_id"),
                    m.getString("client_host"), version >= 1 ? m.getInt("rebalance_timeout") : sessionTimeout,
                    sessionTimeout, bytes(m.getBytes("subscription")), bytes(m.getBytes("assignment"))));
        }
        long stateTimestamp = version >= 2 ? v.getLong("current_state_timestamp") : -1L;
        return new GroupMetadataValue(v.getString("protocol_type"), v.getInt("generation"), v.getString("protocol"),
                v.getString("leader"), stateTimestamp, members);
    }

    private static short readVersion(ByteBuffer buffer, String what) {
        if (buffer.remaining() < 2) {
            throw new InvalidGroupRecordException(what + " shorter than its version field");
        }
        return buffer.getShort();
    }

    private static Struct readFully(Schema schema, ByteBuffer buffer, String what) {
        Struct struct = schema.read(buffer);
        if (buffer.hasRemaining()) {
            throw new InvalidGroupRecordException(what + " has " + buffer.remaining() + " trailing bytes");
        }
        return struct;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
