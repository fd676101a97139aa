package io.millrace.engine.group.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.engine.EmbeddedBroker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AdminClient lists, describes and deletes groups, and lists, alters and deletes their offsets. */
class GroupAdminIT {

    static EmbeddedBroker broker;
    static Admin admin;
    static GroupMember active;
    static final TopicPartition P0 = new TopicPartition("admin-t", 0);
    static final TopicPartition P1 = new TopicPartition("admin-t", 1);

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(Map.of("group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "4"));
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic("admin-t", 3, (short) 1))).all().get();
        // "idle": consumed, committed, left; "standalone": offsets only; "active": a live member
        GroupMember idle = new GroupMember(GroupMember.props(broker.bootstrapServers(), "idle"), "admin-t");
        Await.until("idle assigned", Duration.ofSeconds(20), () -> idle.owned().size() == 3);
        idle.close();
        admin.alterConsumerGroupOffsets("idle", Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(6)))
                .all().get();
        admin.alterConsumerGroupOffsets("standalone", Map.of(P0, new OffsetAndMetadata(1))).all().get();
        active = new GroupMember(GroupMember.props(broker.bootstrapServers(), "active"), "admin-t");
        Await.until("active assigned", Duration.ofSeconds(20), () -> active.owned().size() == 3);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        active.close();
        admin.close();
        broker.close();
    }

    private static Throwable cause(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() instanceof ExecutionException ee ? ee.getCause() : e.getCause();
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void listGroupsShowsEveryGroupWithItsState() throws Exception {
        Map<String, GroupListing> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get()
                .stream().collect(Collectors.toMap(GroupListing::groupId, g -> g));
        assertThat(groups).containsKeys("idle", "standalone", "active");
        assertThat(groups.get("active").groupState()).contains(GroupState.STABLE);
        assertThat(groups.get("active").type()).contains(GroupType.CLASSIC);
        assertThat(groups.get("active").protocol()).isEqualTo("consumer");
        assertThat(groups.get("idle").groupState()).contains(GroupState.EMPTY);
        assertThat(groups.get("standalone").isSimpleConsumerGroup()).isTrue();

        Collection<GroupListing> stable = admin.listGroups(ListGroupsOptions.forConsumerGroups()
                .inGroupStates(Set.of(GroupState.STABLE))).all().get();
        assertThat(stable).extracting(GroupListing::groupId).contains("active").doesNotContain("idle", "standalone");
        assertThat(stable).allSatisfy(g -> assertThat(g.groupState()).contains(GroupState.STABLE));
        assertThat(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get()).isEmpty();
    }

    @Test
    void describeShowsMembersAndAssignments() throws Exception {
        Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(List.of("active", "idle"))
                .all().get();
        ConsumerGroupDescription a = described.get("active");
        assertThat(a.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(a.partitionAssignor()).isEqualTo("range");
        assertThat(a.coordinator().id()).isEqualTo(1);
        assertThat(a.members()).singleElement().satisfies(m -> {
            assertThat(m.clientId()).startsWith("consumer-active");
            assertThat(m.host()).isEqualTo("/127.0.0.1");
            assertThat(m.assignment().topicPartitions()).hasSize(3);
        });
        assertThat(described.get("idle").groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(described.get("idle").members()).isEmpty();

        assertThat(cause(() -> get(admin.describeConsumerGroups(List.of("nope")).all())))
                .isInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void offsetsAreListedForOneOrSeveralGroups() throws Exception {
        assertThat(admin.listConsumerGroupOffsets("idle").partitionsToOffsetAndMetadata().get())
                .containsEntry(P0, new OffsetAndMetadata(5)).containsEntry(P1, new OffsetAndMetadata(6));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> both = admin.listConsumerGroupOffsets(Map.of(
                "idle", new ListConsumerGroupOffsetsSpec(), "standalone", new ListConsumerGroupOffsetsSpec()))
                .all().get();
        assertThat(both.get("idle")).hasSize(2);
        assertThat(both.get("standalone")).containsEntry(P0, new OffsetAndMetadata(1));
    }

    @Test
    void offsetsOfAGroupWithMembersCannotBeAltered() throws Exception {
        assertThat(cause(() -> get(admin.alterConsumerGroupOffsets("active", Map.of(P0, new OffsetAndMetadata(0)))
                .all()))).isInstanceOf(UnknownMemberIdException.class);
        admin.alterConsumerGroupOffsets("alterable", Map.of(P0, new OffsetAndMetadata(8))).all().get();
        admin.alterConsumerGroupOffsets("alterable", Map.of(P0, new OffsetAndMetadata(9, "again"))).all().get();
        assertThat(admin.listConsumerGroupOffsets("alterable").partitionsToOffsetAndMetadata().get().get(P0))
                .isEqualTo(new OffsetAndMetadata(9, "again"));
    }

    @Test
    void offsetsOfTopicsAGroupConsumesCannotBeDeleted() throws Exception {
        assertThat(cause(() -> get(admin.deleteConsumerGroupOffsets("active", Set.of(P0)).all())))
                .isInstanceOf(GroupSubscribedToTopicException.class);
        admin.alterConsumerGroupOffsets("deletable", Map.of(P0, new OffsetAndMetadata(3), P1,
                new OffsetAndMetadata(4))).all().get();
        admin.deleteConsumerGroupOffsets("deletable", Set.of(P0)).all().get();
        assertThat(admin.listConsumerGroupOffsets("deletable").partitionsToOffsetAndMetadata().get())
                .containsOnlyKeys(P1);
    }

    @Test
    void onlyGroupsWithoutMembersCanBeDeleted() throws Exception {
        admin.alterConsumerGroupOffsets("doomed", Map.of(P0, new OffsetAndMetadata(2))).all().get();
        assertThat(cause(() -> get(admin.deleteConsumerGroups(List.of("active")).all())))
                .isInstanceOf(GroupNotEmptyException.class);
        assertThat(cause(() -> get(admin.deleteConsumerGroups(List.of("never-existed")).all())))
                .isInstanceOf(GroupIdNotFoundException.class);

        admin.deleteConsumerGroups(List.of("doomed")).all().get();
        assertThat(admin.listGroups().all().get()).extracting(GroupListing::groupId).doesNotContain("doomed");
        assertThat(admin.listConsumerGroupOffsets("doomed").partitionsToOffsetAndMetadata().get()).isEmpty();
    }

    @Test
    void aStaticMemberCanBeRemovedByItsInstanceId() throws Exception {
        Properties props = GroupMember.props(broker.bootstrapServers(), "statics");
        props.put("group.instance.id", "worker-1");
        props.put("session.timeout.ms", "30000");
        GroupMember member = new GroupMember(props, "admin-t");
        try {
            Await.until("assigned", Duration.ofSeconds(20), () -> member.owned().size() == 3);
            assertThat(admin.describeConsumerGroups(List.of("statics")).all().get().get("statics").members())
                    .singleElement().satisfies(m -> assertThat(m.groupInstanceId()).contains("worker-1"));

            admin.removeMembersFromConsumerGroup("statics", new RemoveMembersFromConsumerGroupOptions(
                    List.of(new MemberToRemove("worker-1")))).all().get();

            // The member learns on its next heartbeat and joins again.
            int assignments = member.assignments.size();
            Await.until("the removed member rejoined", Duration.ofSeconds(20),
                    () -> member.assignments.size() > assignments && member.owned().size() == 3);
        } finally {
            member.close();
        }
    }
}
