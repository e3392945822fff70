// The idempotent-producer fault scenario (test/integration/cluster/idempotent-faults.test.ts)
// with the Apache Kafka Java client: a KafkaProducer with DEFAULT settings (idempotence on,
// acks=all; only bootstrap.servers, the serializers and delivery.timeout.ms are set) sends
// RECORDS records asynchronously to TOPIC (which must exist, PARTITIONS partitions, empty):
// record i goes to partition i % PARTITIONS with a 100-byte value "p<partition> s<seq> ..."
// where seq = i / PARTITIONS is its rank in the partition. Every callback is tallied (the
// acknowledged offset must equal seq: the topic starts empty and a retried duplicate must be
// answered with its first offset). A group-less KafkaConsumer (assign + seekToBeginning)
// then reads every partition to its end and checks that each partition holds seq 0..n-1
// exactly once, in order, at offsets 0..n-1.
//
// While producing it prints "progress acked=A failed=F sent=S ms=T partitions=A0,A1,..." on
// stderr every 250 ms, A0... being the records acknowledged per partition (the test kills
// broker processes when A crosses a threshold). The last stdout line is the
// result JSON (see test/integration/cluster/idempotent-faults.test.ts, FaultResult).
//
// Usage: java -cp ... IdempotentJava BOOTSTRAP TOPIC RECORDS [PARTITIONS] [DELIVERY_TIMEOUT_MS]
// KAFSCALE_FAULT_IDEMPOTENCE=false sets enable.idempotence=false (a control run only).

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;

public class IdempotentJava {
  static final int VALUE_BYTES = 100;
  static final int MAX_LISTED = 50;
  static final List<String> mismatches = new ArrayList<>();

  static synchronized void mismatch(String msg) {
    if (mismatches.size() < MAX_LISTED) mismatches.add(msg);
    else if (mismatches.size() == MAX_LISTED) mismatches.add("... more mismatches omitted");
  }

  static byte[] valueOf(int partition, int seq) {
    byte[] v = new byte[VALUE_BYTES];
    Arrays.fill(v, (byte) '.');
    byte[] head = ("p" + partition + " s" + seq + " ").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, v, 0, head.length);
    return v;
  }

  /** {partition, seq} from a value, or null when it is not one of ours. */
  static int[] parse(byte[] v) {
    if (v == null || v.length != VALUE_BYTES || v[0] != 'p') return null;
    String head = new String(v, 0, 30, StandardCharsets.US_ASCII);
    String[] parts = head.split(" ");
    if (parts.length < 2 || !parts[1].startsWith("s")) return null;
    try {
      return new int[] {Integer.parseInt(parts[0].substring(1)), Integer.parseInt(parts[1].substring(1))};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static int perPartition(int n, int partitions, int p) {
    return n / partitions + (p < n % partitions ? 1 : 0);
  }

  // Produce-side tallies, written by the producer's I/O thread (callbacks), read at the end.
  static final AtomicLong acked = new AtomicLong();
  static final AtomicLong failed = new AtomicLong();
  static final Map<String, Integer> failures = new LinkedHashMap<>();
  static final List<String> failedSamples = new ArrayList<>();
  static long[][] ackOffset; // [partition][seq], -1 until acknowledged
  static long ackOffsetMismatches = 0;
  static long lastAckNanos = 0;
  static long maxAckGapNanos = 0;
  static long maxAckGapEndedAtMs = 0;
  static long[] lastAckNanosByPartition;
  static long[] maxGapNanosByPartition;
  static long[] maxGapEndedAtMsByPartition;
  static long[] ackedByPartition;

  static synchronized void onAck(int p, int seq, long offset) {
    long now = System.nanoTime();
    if (lastAckNanos != 0 && now - lastAckNanos > maxAckGapNanos) {
      maxAckGapNanos = now - lastAckNanos;
      maxAckGapEndedAtMs = System.currentTimeMillis();
    }
    lastAckNanos = now;
    if (lastAckNanosByPartition[p] != 0 && now - lastAckNanosByPartition[p] > maxGapNanosByPartition[p]) {
      maxGapNanosByPartition[p] = now - lastAckNanosByPartition[p];
      maxGapEndedAtMsByPartition[p] = System.currentTimeMillis();
    }
    lastAckNanosByPartition[p] = now;
    ackOffset[p][seq] = offset;
    if (offset != seq && ackOffsetMismatches++ < 10) {
      mismatch("p" + p + " seq " + seq + ": acknowledged at offset " + offset + ", expected " + seq);
    }
    ackedByPartition[p]++;
    acked.incrementAndGet();
  }

  /** The records acknowledged per partition, comma-separated, for the progress lines. */
  static synchronized String ackedByPartitionText() {
    StringBuilder b = new StringBuilder();
    for (int p = 0; p < ackedByPartition.length; p++) b.append(p == 0 ? "" : ",").append(ackedByPartition[p]);
    return b.toString();
  }

  static synchronized void onFailure(int p, int seq, Exception e) {
    failed.incrementAndGet();
    String key = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (key.length() > 300) key = key.substring(0, 300);
    failures.merge(key, 1, Integer::sum);
    if (failedSamples.size() < 20) failedSamples.add("p" + p + " seq " + seq + ": " + key);
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int n = Integer.parseInt(args[2]);
    int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String deliveryTimeout = args.length > 4 ? args[4] : "300000";
    ackOffset = new long[partitions][];
    for (int p = 0; p < partitions; p++) {
      ackOffset[p] = new long[perPartition(n, partitions, p)];
      Arrays.fill(ackOffset[p], -1);
    }
    lastAckNanosByPartition = new long[partitions];
    maxGapNanosByPartition = new long[partitions];
    maxGapEndedAtMsByPartition = new long[partitions];
    ackedByPartition = new long[partitions];

    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeout);
    // KAFSCALE_FAULT_IDEMPOTENCE=false: a control run, to see what the faults do without
    // idempotence (duplicates are expected then). Otherwise the client's default (on).
    if ("false".equals(System.getenv("KAFSCALE_FAULT_IDEMPOTENCE")))
      pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");

    long startedAtMs = System.currentTimeMillis();
    long t = System.nanoTime();
    AtomicLong sent = new AtomicLong();
    Thread ticker =
        new Thread(
            () -> {
              try {
                for (; ; ) {
                  System.err.println(
                      "progress acked=" + acked.get() + " failed=" + failed.get() + " sent=" + sent.get()
                          + " ms=" + (System.currentTimeMillis() - startedAtMs)
                          + " partitions=" + ackedByPartitionText());
                  Thread.sleep(250);
                }
              } catch (InterruptedException e) {
                // done
              }
            });
    ticker.setDaemon(true);
    ticker.start();

    Map<String, Double> producerMetrics = new LinkedHashMap<>();
    Map<String, Object> producerConfig = new LinkedHashMap<>();
    long produceDoneAtMs;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
      for (int i = 0; i < n; i++) {
        final int p = i % partitions;
        final int seq = i / partitions;
        producer.send(
            new ProducerRecord<>(topic, p, null, valueOf(p, seq)),
            (md, err) -> {
              if (err != null) onFailure(p, seq, err);
              else onAck(p, seq, md.offset());
            });
        sent.incrementAndGet();
      }
      producer.flush();
      produceDoneAtMs = System.currentTimeMillis();
      for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
        MetricName m = e.getKey();
        if (!m.group().equals("producer-metrics")) continue;
        switch (m.name()) {
          case "record-retry-total":
          case "record-error-total":
          case "record-send-total":
          case "request-total":
          case "connection-creation-total":
          case "connection-close-total":
          case "batch-split-total":
            Object v = e.getValue().metricValue();
            if (v instanceof Number) producerMetrics.put(m.name(), ((Number) v).doubleValue());
            break;
          default:
        }
      }
    }
    ticker.interrupt();
    long produceMs = (System.nanoTime() - t) / 1_000_000;
    System.err.println(
        "progress acked=" + acked.get() + " failed=" + failed.get() + " sent=" + sent.get() + " ms="
            + (System.currentTimeMillis() - startedAtMs) + " done");

    // Read everything back: each partition must hold seq 0..n-1 once, in order, at offsets 0..n-1.
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    t = System.nanoTime();
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) tps.add(new TopicPartition(topic, p));
    long[] endOffset = new long[partitions];
    long[] consumed = new long[partitions];
    long[] nextOffset = new long[partitions];
    long[] nextSeq = new long[partitions];
    long[] duplicates = new long[partitions];
    long[] outOfOrder = new long[partitions];
    long[] offsetBreaks = new long[partitions];
    long[] foreign = new long[partitions];
    BitSet[] seen = new BitSet[partitions];
    for (int p = 0; p < partitions; p++) seen[p] = new BitSet(perPartition(n, partitions, p));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp)) {
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(60));
      for (int p = 0; p < partitions; p++) endOffset[p] = ends.get(tps.get(p));
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      long deadline = System.nanoTime() + 600_000_000_000L;
      long lastProgress = System.nanoTime();
      for (; ; ) {
        boolean done = true;
        for (int p = 0; p < partitions; p++) if (nextOffset[p] < endOffset[p]) done = false;
        if (done) break;
        if (System.nanoTime() > deadline || System.nanoTime() - lastProgress > 60_000_000_000L) {
          mismatch("consume stopped before the end: next offsets " + Arrays.toString(nextOffset)
              + ", end offsets " + Arrays.toString(endOffset));
          break;
        }
        ConsumerRecords<byte[], byte[]> recs = consumer.poll(Duration.ofMillis(500));
        if (!recs.isEmpty()) lastProgress = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : recs) {
          int p = r.partition();
          consumed[p]++;
          if (r.offset() != nextOffset[p]) {
            offsetBreaks[p]++;
            mismatch("p" + p + ": offset " + r.offset() + " read after " + (nextOffset[p] - 1));
          }
          nextOffset[p] = r.offset() + 1;
          int[] ps = parse(r.value());
          if (ps == null || ps[0] != p || ps[1] < 0 || ps[1] >= perPartition(n, partitions, p)) {
            foreign[p]++;
            mismatch("p" + p + "@" + r.offset() + ": unexpected value "
                + (r.value() == null ? "null" : new String(r.value(), 0, Math.min(30, r.value().length), StandardCharsets.US_ASCII)));
            continue;
          }
          int seq = ps[1];
          if (seen[p].get(seq)) {
            duplicates[p]++;
            mismatch("p" + p + "@" + r.offset() + ": seq " + seq + " again (duplicate)");
          } else if (seq != nextSeq[p]) {
            outOfOrder[p]++;
            mismatch("p" + p + "@" + r.offset() + ": seq " + seq + " where " + nextSeq[p] + " was next");
          }
          seen[p].set(seq);
          if (seq >= nextSeq[p]) nextSeq[p] = seq + 1;
        }
      }
    }
    long consumeMs = (System.nanoTime() - t) / 1_000_000;

    StringBuilder parts = new StringBuilder("[");
    for (int p = 0; p < partitions; p++) {
      int expected = perPartition(n, partitions, p);
      long distinct = seen[p].cardinality();
      long notAcked = 0;
      long missingAcked = 0;
      for (int s = 0; s < expected; s++) {
        if (ackOffset[p][s] < 0) notAcked++;
        else if (!seen[p].get(s)) missingAcked++;
      }
      if (missingAcked > 0) mismatch("p" + p + ": " + missingAcked + " acknowledged records not read back");
      if (p > 0) parts.append(',');
      parts.append("{\"partition\":").append(p)
          .append(",\"expected\":").append(expected)
          .append(",\"acked\":").append(expected - notAcked)
          .append(",\"endOffset\":").append(endOffset[p])
          .append(",\"consumed\":").append(consumed[p])
          .append(",\"distinct\":").append(distinct)
          .append(",\"duplicates\":").append(duplicates[p])
          .append(",\"missing\":").append(expected - distinct)
          .append(",\"missingAcked\":").append(missingAcked)
          .append(",\"outOfOrder\":").append(outOfOrder[p])
          .append(",\"offsetBreaks\":").append(offsetBreaks[p])
          .append(",\"foreign\":").append(foreign[p])
          .append(",\"maxAckGapMs\":").append(maxGapNanosByPartition[p] / 1_000_000)
          .append(",\"maxAckGapEndedAtMs\":").append(maxGapEndedAtMsByPartition[p])
          .append('}');
    }
    parts.append(']');

    StringBuilder out = new StringBuilder("{");
    out.append("\"client\":\"java\"");
    out.append(",\"version\":").append(json("kafka-clients " + AppInfoParser.getVersion() + ", Java " + System.getProperty("java.version")));
    out.append(",\"records\":").append(n);
    out.append(",\"partitions\":").append(partitions);
    out.append(",\"acked\":").append(acked.get());
    out.append(",\"failed\":").append(failed.get());
    out.append(",\"ackOffsetMismatches\":").append(ackOffsetMismatches);
    out.append(",\"failures\":{");
    boolean first = true;
    synchronized (IdempotentJava.class) {
      for (Map.Entry<String, Integer> e : failures.entrySet()) {
        if (!first) out.append(',');
        first = false;
        out.append(json(e.getKey())).append(':').append(e.getValue());
      }
      out.append("},\"failedSamples\":[");
      for (int k = 0; k < failedSamples.size(); k++) out.append(k > 0 ? "," : "").append(json(failedSamples.get(k)));
    }
    out.append("]");
    Double retries = producerMetrics.get("record-retry-total");
    out.append(",\"retries\":").append(retries == null ? "null" : String.valueOf(retries.longValue()));
    out.append(",\"clientMetrics\":{");
    first = true;
    for (Map.Entry<String, Double> e : producerMetrics.entrySet()) {
      if (!first) out.append(',');
      first = false;
      out.append(json(e.getKey())).append(':').append(e.getValue().longValue());
    }
    out.append('}');
    out.append(",\"startedAtMs\":").append(startedAtMs);
    out.append(",\"produceDoneAtMs\":").append(produceDoneAtMs);
    out.append(",\"produceMs\":").append(produceMs);
    out.append(",\"consumeMs\":").append(consumeMs);
    out.append(",\"maxAckGapMs\":").append(maxAckGapNanos / 1_000_000);
    out.append(",\"maxAckGapEndedAtMs\":").append(maxAckGapEndedAtMs);
    out.append(",\"partitionResults\":").append(parts);
    out.append(",\"mismatches\":[");
    synchronized (IdempotentJava.class) {
      for (int k = 0; k < mismatches.size(); k++) out.append(k > 0 ? "," : "").append(json(mismatches.get(k)));
    }
    out.append("]}");
    System.out.println(out);
  }
}
