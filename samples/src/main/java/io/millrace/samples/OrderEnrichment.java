package io.millrace.samples;

import io.millrace.streams.StreamsApplication;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.Topology;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.Joined;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Produced;
import io.millrace.streams.serde.JsonSerde;
import io.millrace.streams.state.KeyValueStore;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;

/**
 * A stream-table join: orders enriched with their customer.
 *
 * <p>{@code customers} is a table (key: customer id, value JSON {@link Customer}); each new
 * record replaces the customer. {@code orders} is a stream (key: order id, value JSON {@link
 * Order}). Orders are re-keyed by customer id (through the repartition topic {@code
 * <application.id>-orders-by-customer-repartition}, so that each order meets its customer in the
 * same task) and joined with the customer as they are when the order is processed; orders of
 * unknown customers go on with a null customer (a left join). Output: {@code orders-enriched},
 * key customer id, value JSON {@link EnrichedOrder}.
 *
 * <p>{@code customers} must have as many partitions as the repartition topic, which takes its
 * count from {@code customers} automatically.
 */
public final class OrderEnrichment implements StreamsApplication {
  public static final String ORDERS_TOPIC = "orders";
  public static final String CUSTOMERS_TOPIC = "customers";
  public static final String OUTPUT_TOPIC = "orders-enriched";

  /** An order as the shop writes it. */
  public record Order(String orderId, String customerId, String product, double amount) {}

  /** A customer record. */
  public record Customer(String id, String name, String tier) {}

  /** An order with its customer (null if unknown when the order was processed). */
  public record EnrichedOrder(Order order, Customer customer) {}

  @Override
  public Properties defaults() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "order-enrichment");
    return props;
  }

  @Override
  public Topology topology(Properties config) {
    StreamsBuilder builder = new StreamsBuilder();
    KTable<String, Customer> customers = builder.table(CUSTOMERS_TOPIC,
        Consumed.with(Serdes.String(), JsonSerde.of(Customer.class)),
        Materialized.<String, Customer, KeyValueStore<Bytes, byte[]>>as("customers-store"));
    builder.stream(ORDERS_TOPIC, Consumed.with(Serdes.String(), JsonSerde.of(Order.class)))
        .selectKey((orderId, order) -> order.customerId())
        .leftJoin(customers, EnrichedOrder::new,
            Joined.<String, Order, Customer>with(Serdes.String(), JsonSerde.of(Order.class), JsonSerde.of(Customer.class))
                .withName("orders-by-customer"))
        .to(OUTPUT_TOPIC, Produced.with(Serdes.String(), JsonSerde.of(EnrichedOrder.class)));
    return builder.build(config);
  }
}
