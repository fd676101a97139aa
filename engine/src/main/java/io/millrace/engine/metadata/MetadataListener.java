package io.millrace.engine.metadata;

import io.vertx.core.Future;

/**
 * Applies published metadata images (a broker creating and deleting partition logs, a cache
 * serving Metadata requests). Called by the controller once per image, in version order, never
 * concurrently with itself.
 */
@FunctionalInterface
public interface MetadataListener {

  /**
   * Applies {@code image}. The controller waits for the returned future before it reports the
   * change done, so a client that sees its CreateTopics succeed can produce at once.
   *
   * @param previous the image applied before, or null for the first call
   */
  Future<Void> onImage(MetadataImage previous, MetadataImage image);
}
