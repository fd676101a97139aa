package io.millrace.engine.group.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GroupRecordSerdeTest {

    private static final TopicPartition TP = new TopicPartition("orders", 3);

    private static GroupRecord roundTrip(GroupRecord record) {
        return GroupRecordSerde.deserialize(GroupRecordSerde.serializeKey(record),
                GroupRecordSerde.serializeValue(record)).orElseThrow();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** Writes Kafka's primitive encodings by hand, to check the layout byte for byte. */
    private static final class Bytes {
        private final ByteBuffer buf = ByteBuffer.allocate(1024);

        Bytes i16(int v) {
            buf.putShort((short) v);
            return this;
        }

        Bytes i32(int v) {
            buf.putInt(v);
            return this;
        }

        Bytes i64(long v) {
            buf.putLong(v);
            return this;
        }

        Bytes str(String s) {
            if (s == null) {
                return i16(-1);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i16(b.length);
            buf.put(b);
            return this;
        }

        Bytes blob(byte[] b) {
            i32(b.length);
            buf.put(b);
            return this;
        }

        ByteBuffer done() {
            return ByteBuffer.wrap(java.util.Arrays.copyOf(buf.array(), buf.position()));
        }
    }

    @Test
    void offsetCommitKeyAndValueFollowKafkasLayout() {
        GroupRecord record = new GroupRecord.OffsetCommit("g", TP, new OffsetCommitValue(42, 7, "meta", 1000, -1));
        assertThat(bytes(GroupRecordSerde.serializeKey(record)))
                .isEqualTo(bytes(new Bytes().i16(1).str("g").str("orders").i32(3).done()));
        assertThat(bytes(GroupRecordSerde.serializeValue(record)))
                .isEqualTo(bytes(new Bytes().i16(3).i64(42).i32(7).str("meta").i64(1000).done()));
    }

    @Test
    void anExplicitExpiryIsWrittenAsVersionOne() {
        GroupRecord record = new GroupRecord.OffsetCommit("g", TP, new OffsetCommitValue(42, 7, "", 1000, 5000));
        assertThat(bytes(GroupRecordSerde.serializeValue(record)))
                .isEqualTo(bytes(new Bytes().i16(1).i64(42).str("").i64(1000).i64(5000).done()));
        assertThat(roundTrip(record)).isEqualTo(new GroupRecord.OffsetCommit("g", TP,
                new OffsetCommitValue(42, -1, "", 1000, 5000)));
    }

    @Test
    void groupMetadataFollowsKafkasLayout() {
        GroupMetadataValue value = new GroupMetadataValue("consumer", 5, "range", "m1", 77, List.of(
                new GroupMetadataValue.Member("m1", "i1", "c", "/h", 300, 10, new byte[] {1}, new byte[] {2, 3})));
        GroupRecord record = new GroupRecord.GroupMetadata("g", value);
        assertThat(bytes(GroupRecordSerde.serializeKey(record))).isEqualTo(bytes(new Bytes().i16(2).str("g").done()));
        assertThat(bytes(GroupRecordSerde.serializeValue(record))).isEqualTo(bytes(new Bytes().i16(3)
                .str("consumer").i32(5).str("range").str("m1").i64(77).i32(1)
                .str("m1").str("i1").str("c").str("/h").i32(300).i32(10).blob(new byte[] {1}).blob(new byte[] {2, 3})
                .done()));
        assertThat(roundTrip(record)).isEqualTo(record);
    }

    @Test
    void emptyGroupsAndNullsRoundTrip() {
        GroupRecord record = new GroupRecord.GroupMetadata("g", new GroupMetadataValue("", 3, null, null, 5, List.of()));
        assertThat(roundTrip(record)).isEqualTo(record);
    }

    @Test
    void tombstonesHaveNoValue() {
        GroupRecord offset = GroupRecord.OffsetCommit.tombstone("g", TP);
        GroupRecord group = GroupRecord.GroupMetadata.tombstone("g");
        assertThat(GroupRecordSerde.serializeValue(offset)).isNull();
        assertThat(roundTrip(offset)).isEqualTo(offset);
        assertThat(roundTrip(group)).isEqualTo(group);
    }

    @Test
    void olderValueVersionsAreRead() {
        ByteBuffer key = new Bytes().i16(0).str("g").str("orders").i32(3).done();
        assertThat(GroupRecordSerde.deserialize(key, new Bytes().i16(0).i64(9).str("x").i64(100).done()))
                .contains(new GroupRecord.OffsetCommit("g", TP, new OffsetCommitValue(9, -1, "x", 100, -1)));
        assertThat(GroupRecordSerde.deserialize(key, new Bytes().i16(2).i64(9).str("x").i64(100).done()))
                .contains(new GroupRecord.OffsetCommit("g", TP, new OffsetCommitValue(9, -1, "x", 100, -1)));
        // v4 (flexible): compact string (length + 1 as unsigned varint) and an empty tagged-field section
        ByteBuffer v4 = ByteBuffer.allocate(2 + 8 + 4 + 2 + 8 + 1);
        v4.putShort((short) 4).putLong(9).putInt(2).put((byte) 2).put((byte) 'x').putLong(100).put((byte) 0).flip();
        assertThat(GroupRecordSerde.deserialize(key, v4))
                .contains(new GroupRecord.OffsetCommit("g", TP, new OffsetCommitValue(9, 2, "x", 100, -1)));

        ByteBuffer groupKey = new Bytes().i16(2).str("g").done();
        ByteBuffer v0 = new Bytes().i16(0).str("consumer").i32(1).str("range").str("m")
                .i32(1).str("m").str("c").str("/h").i32(10).blob(new byte[] {1}).blob(new byte[0]).done();
        GroupMetadataValue read = ((GroupRecord.GroupMetadata) GroupRecordSerde.deserialize(groupKey, v0).orElseThrow())
                .value();
        assertThat(read.currentStateTimestampMs()).isEqualTo(-1);
        assertThat(read.members().get(0).rebalanceTimeoutMs()).as("v0 had none: the session timeout").isEqualTo(10);
        assertThat(read.members().get(0).groupInstanceId()).isNull();
    }

    @Test
    void keysOfRecordTypesWeDoNotModelAreSkipped() {
        assertThat(GroupRecordSerde.deserialize(new Bytes().i16(3).str("g").done(), null)).isEqualTo(Optional.empty());
    }

    @Test
    void unreadableBytesAreRejectedWithAClearError() {
        ByteBuffer key = new Bytes().i16(1).str("g").str("orders").i32(3).done();
        assertThatThrownBy(() -> GroupRecordSerde.deserialize(ByteBuffer.wrap(new byte[] {0}), null))
                .isInstanceOf(InvalidGroupRecordException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> GroupRecordSerde.deserialize(new Bytes().i16(1).str("g").done(), null))
                .isInstanceOf(InvalidGroupRecordException.class);
        assertThatThrownBy(() -> GroupRecordSerde.deserialize(key, new Bytes().i16(3).i64(1).done()))
                .isInstanceOf(InvalidGroupRecordException.class);
        assertThatThrownBy(() -> GroupRecordSerde.deserialize(key, new Bytes().i16(9).i64(1).done()))
                .isInstanceOf(InvalidGroupRecordException.class).hasMessageContaining("version 9");
        assertThatThrownBy(() -> GroupRecordSerde.deserialize(key,
                new Bytes().i16(3).i64(42).i32(7).str("meta").i64(1000).i32(0).done()))
                .isInstanceOf(InvalidGroupRecordException.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> GroupRecordSerde.deserialize(new Bytes().i16(-1).done(), null))
                .isInstanceOf(InvalidGroupRecordException.class);
        assertThatThrownBy(() -> GroupRecordSerde.deserialize(null, null))
                .isInstanceOf(InvalidGroupRecordException.class);
    }
}
