package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.idempotent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerStateTest {
    @TempDir
    Path dir;
    ManualTime time = new ManualTime();
    QueuedScheduler scheduler = new QueuedScheduler();

    @Test
    void aRetriedBatchIsAnsweredWithItsOriginalOffsetsAndNotAppended() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            LogAppendInfo first = log.appendAsLeader(idempotent(42, (short) 0, 0, 3, time.milliseconds()), 0);
            log.appendAsLeader(idempotent(42, (short) 0, 3, 2, time.milliseconds()), 0);

            LogAppendInfo retry = log.appendAsLeader(idempotent(42, (short) 0, 0, 3, time.milliseconds()), 0);

            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.firstOffset()).isEqualTo(first.firstOffset());
            assertThat(retry.lastOffset()).isEqualTo(first.lastOffset());
            assertThat(log.logEndOffset()).isEqualTo(5);
        }
    }

    @Test
    void onlyTheLastFiveBatchesAreRemembered() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            for (int i = 0; i < 7; i++) {
                log.appendAsLeader(idempotent(1, (short) 0, i, 1, time.milliseconds()), 0);
            }
            assertThat(log.producerState().lastEntry(1).orElseThrow().batches()).hasSize(5);
            assertThat(log.appendAsLeader(idempotent(1, (short) 0, 2, 1, time.milliseconds()), 0).duplicate()).isTrue();
            assertThatThrownBy(() -> log.appendAsLeader(idempotent(1, (short) 0, 1, 1, time.milliseconds()), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        }
    }

    @Test
    void aSequenceGapIsOutOfOrder() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            log.appendAsLeader(idempotent(7, (short) 0, 0, 2, time.milliseconds()), 0);
            assertThatThrownBy(() -> log.appendAsLeader(idempotent(7, (short) 0, 3, 1, time.milliseconds()), 0))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .satisfies(e -> assertThat(Errors.forException(e)).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
            assertThat(log.logEndOffset()).isEqualTo(2);
        }
    }

    @Test
    void anOlderEpochIsFencedAndANewEpochMustStartAtZero() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            log.appendAsLeader(idempotent(9, (short) 1, 0, 2, time.milliseconds()), 0);
            assertThatThrownBy(() -> log.appendAsLeader(idempotent(9, (short) 0, 2, 1, time.milliseconds()), 0))
                .isInstanceOf(InvalidProducerEpochException.class)
                .satisfies(e -> assertThat(Errors.forException(e)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH));
            assertThatThrownBy(() -> log.appendAsLeader(idempotent(9, (short) 2, 5, 1, time.milliseconds()), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
            log.appendAsLeader(idempotent(9, (short) 2, 0, 1, time.milliseconds()), 0);
            assertThat(log.producerState().lastEntry(9).orElseThrow().epoch()).isEqualTo((short) 2);
        }
    }

    @Test
    void anUnknownProducerMayStartAtAnySequence() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            assertThat(log.appendAsLeader(idempotent(3, (short) 0, 17, 2, time.milliseconds()), 0).firstOffset()).isZero();
            assertThat(log.producerState().lastEntry(3).orElseThrow().lastSeq()).isEqualTo(18);
        }
    }

    @Test
    void stateSurvivesACleanRestartThroughTheSnapshot() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            log.appendAsLeader(idempotent(5, (short) 0, 0, 3, time.milliseconds()), 0);
        }
        Path partition = dir.resolve(PartitionLog.dirName(TestLogs.TP));
        assertThat(Files.exists(partition.resolve("00000000000000000003.snapshot"))).isTrue();
        try (PartitionLog log = TestLogs.reopen(dir, LogConfig.defaults(), time, scheduler, 3, true)) {
            assertThat(log.appendAsLeader(idempotent(5, (short) 0, 0, 3, time.milliseconds()), 0).duplicate()).isTrue();
            assertThatThrownBy(() -> log.appendAsLeader(idempotent(5, (short) 0, 4, 1, time.milliseconds()), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        }
    }

    @Test
    void stateIsRebuiltFromTheLogAfterACrash() throws Exception {
        LogConfig small = LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 300));
        PartitionLog log = TestLogs.open(dir, small, time, scheduler);
        for (int i = 0; i < 6; i++) {
            log.appendAsLeader(idempotent(11, (short) 0, i * 2, 2, time.milliseconds()), 0);
        }
        log.closeForDeletion();
        try (PartitionLog reopened = TestLogs.reopen(dir, small, time, scheduler, 0, false)) {
            assertThat(reopened.producerState().lastEntry(11).orElseThrow().lastSeq()).isEqualTo(11);
            assertThat(reopened.appendAsLeader(idempotent(11, (short) 0, 10, 2, time.milliseconds()), 0).duplicate())
                .isTrue();
            assertThat(reopened.appendAsLeader(idempotent(11, (short) 0, 12, 1, time.milliseconds()), 0).firstOffset())
                .isEqualTo(12);
        }
    }

    @Test
    void aTornSnapshotIsDroppedAndTheStateReplayedFromTheLog() throws Exception {
        LogConfig small = LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 300));
        PartitionLog log = TestLogs.open(dir, small, time, scheduler);
        for (int i = 0; i < 6; i++) {
            log.appendAsLeader(idempotent(11, (short) 0, i * 2, 2, time.milliseconds()), 0);
        }
        assertThat(scheduler.names()).anyMatch(n -> n.startsWith("flush-")); // the roll's background fsync
        log.closeForDeletion();
        Path partition = dir.resolve(PartitionLog.dirName(TestLogs.TP));
        Path latest;
        try (var snapshots = Files.list(partition)) {
            latest = snapshots.filter(p -> p.toString().endsWith(".snapshot")).max(Path::compareTo).orElseThrow();
        }
        // A roll's snapshot is renamed into place before it is fsynced: a crash can leave it torn.
        byte[] torn = Files.readAllBytes(latest);
        Files.write(latest, java.util.Arrays.copyOf(torn, torn.length - 5));
        try (PartitionLog reopened = TestLogs.reopen(dir, small, time, scheduler, 0, false)) {
            assertThat(Files.exists(latest)).isFalse();
            assertThat(reopened.producerState().lastEntry(11).orElseThrow().lastSeq()).isEqualTo(11);
            assertThat(reopened.appendAsLeader(idempotent(11, (short) 0, 10, 2, time.milliseconds()), 0).duplicate())
                .isTrue();
        }
    }

    @Test
    void truncationRewindsTheProducerState() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            log.appendAsLeader(idempotent(2, (short) 0, 0, 2, time.milliseconds()), 0);
            log.appendAsLeader(idempotent(2, (short) 0, 2, 2, time.milliseconds()), 0);
            log.truncateTo(2);
            assertThat(log.producerState().lastEntry(2).orElseThrow().lastSeq()).isEqualTo(1);
            assertThat(log.appendAsLeader(idempotent(2, (short) 0, 2, 2, time.milliseconds()), 0).duplicate()).isFalse();
        }
    }

    @Test
    void followersTrackProducersWithoutRejecting() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            log.appendAsFollower(idempotent(4, (short) 3, 10, 2, time.milliseconds()));
            assertThat(log.producerState().lastEntry(4).orElseThrow().lastSeq()).isEqualTo(11);
        }
    }

    @Test
    void idleProducersExpire() throws Exception {
        try (PartitionLog log = TestLogs.open(dir, LogConfig.defaults(), time, scheduler)) {
            log.appendAsLeader(idempotent(8, (short) 0, 0, 1, time.milliseconds()), 0);
            time.advance(86_400_000L);
            log.removeExpiredProducers();
            assertThat(log.producerState().lastEntry(8)).isEmpty();
        }
    }
}
