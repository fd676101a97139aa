// kafkajs 2.2: creates a topic, produces COUNT records (idempotent, acks=all, in batches of 100,
// COMPRESSION gzip or none), then checks the topic's high watermark through the admin client.
//   node produce.js HOST:PORT TOPIC COUNT [gzip|none]
// Prints "OK <count>" and exits 0 on success; prints the error and exits 1 otherwise.
const { Kafka, CompressionTypes, logLevel } = require('kafkajs');

async function main() {
  const [broker, topic, countArg, codec] = process.argv.slice(2);
  const count = parseInt(countArg, 10);
  const compression = codec === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  const kafka = new Kafka({ clientId: 'millrace-kafkajs-it', brokers: [broker], logLevel: logLevel.WARN });

  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < count; i += 100) {
    const messages = [];
    for (let j = i; j < Math.min(count, i + 100); j++) messages.push({ key: `k${j}`, value: `value-${j}` });
    await producer.send({ topic, acks: -1, compression, messages });
  }
  await producer.disconnect();

  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  if (offsets[0].high !== String(count)) throw new Error(`high watermark ${offsets[0].high}, expected ${count}`);
  console.log(`OK ${count}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
