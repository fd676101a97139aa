// kafkajs 2.2 consumer group: MEMBERS consumers in GROUP share TOPIC (already holding COUNT
// records); each record must arrive exactly once, every member must own some partitions, and
// the group's committed offsets must reach the end of each partition.
//   node consume-group.js HOST:PORT TOPIC GROUP COUNT MEMBERS
// Prints "OK <count> <partitions per member>" and exits 0 on success; prints the error and exits 1 otherwise.
const { Kafka, logLevel } = require('kafkajs');

async function main() {
  const [broker, topic, groupId, countArg, membersArg] = process.argv.slice(2);
  const count = parseInt(countArg, 10);
  const kafka = new Kafka({ clientId: 'millrace-kafkajs-group-it', brokers: [broker], logLevel: logLevel.WARN });
  const setup = kafka.admin();
  await setup.connect();
  const partitions = (await setup.fetchTopicOffsets(topic)).length;
  await setup.disconnect();
  const seen = new Map();
  const owned = [];
  const consumers = [];
  let resolveAll;
  const allSeen = new Promise((resolve) => { resolveAll = resolve; });

  for (let m = 0; m < parseInt(membersArg, 10); m++) {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, rebalanceTimeout: 20000, heartbeatInterval: 500 });
    owned[m] = [];
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      owned[m] = (e.payload.memberAssignment[topic] || []).slice().sort();
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const key = `${partition}:${message.offset}`;
        seen.set(key, (seen.get(key) || 0) + 1);
        if (seen.size >= count) resolveAll();
      },
    });
    consumers.push(consumer);
  }

  const timeout = setTimeout(() => {
    console.error(`timed out with ${seen.size} of ${count} records; owned ${JSON.stringify(owned)}`);
    process.exit(1);
  }, 50000);
  await allSeen;
  // the group has settled with all members: each owns some partitions, together all of them
  const settled = () => owned.every((o) => o.length > 0) && owned.reduce((n, o) => n + o.length, 0) === partitions;
  while (!settled()) await new Promise((r) => setTimeout(r, 100));
  const shares = owned.map((o) => o.length).join(',');
  clearTimeout(timeout);
  for (const c of consumers) await c.disconnect();

  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  if (seen.size !== count || duplicates !== 0) throw new Error(`saw ${seen.size} records, ${duplicates} twice`);
  const admin = kafka.admin();
  await admin.connect();
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  for (const end of ends) {
    const c = committed[0].partitions.find((p) => p.partition === end.partition);
    if (!c || c.offset !== end.high) throw new Error(`partition ${end.partition}: committed ${c && c.offset}, end ${end.high}`);
  }
  console.log(`OK ${seen.size} ${shares}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
