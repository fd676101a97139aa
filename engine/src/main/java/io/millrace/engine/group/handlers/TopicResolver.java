package io.millrace.engine.group.handlers;

import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.metadata.TopicImage;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * Topic names and ids from one metadata image, for the offset APIs (OffsetCommit and OffsetFetch
 * v10 name topics by id; the coordinator stores offsets by name, as Kafka does).
 */
final class TopicResolver {

    private final MetadataImage image;
    private Map<Uuid, TopicImage> byId;

    TopicResolver(MetadataImage image) {
        this.image = image;
    }

    /** The topic named {@code name}, or null. */
    TopicImage byName(String name) {
        return name == null ? null : image.topic(name);
    }

    /** The topic with id {@code id}, or null. */
    TopicImage byId(Uuid id) {
        if (byId == null) {
            byId = image.topicsById();
        }
        return id == null ? null : byId.get(id);
    }

    /** True if the topic exists and has the partition. */
    boolean hasPartition(TopicImage topic, int partition) {
        return topic != null && topic.partition(partition) != null;
    }
}
