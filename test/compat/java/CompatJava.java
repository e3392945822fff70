// The compatibility scenario (test/compat/README.md) with the Apache Kafka Java client:
// Admin creates compat-java-a (4 partitions) and -b (1), one producer per codec (acks=all,
// enable.idempotence=false, explicit partition and CreateTime) sends the records plus one
// 1 MiB record, Admin.listOffsets asks earliest, latest and by timestamp, and a group-less
// KafkaConsumer (assign + seekToBeginning) reads every partition back. The last stdout line
// is the CompatResult JSON.
// Usage: java -cp ... CompatJava BOOTSTRAP [RECORDS]
// Debug: -Dorg.slf4j.simpleLogger.defaultLogLevel=debug (the test passes KAFSCALE_COMPAT_DEBUG).

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;

public class CompatJava {
  static final String[] CODECS = {"none", "gzip", "snappy", "lz4", "zstd"};
  static final List<String> mismatches = new ArrayList<>();

  static synchronized void mismatch(String msg) {
    if (mismatches.size() < 50) mismatches.add(msg);
    else if (mismatches.size() == 50) mismatches.add("... more mismatches omitted");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] keyOf(int i) {
    return i % 7 == 0 ? null : utf8("key-" + i);
  }

  static byte[] valueOf(int i) {
    return i % 11 == 0 ? null : utf8("value-" + i + "-" + "x".repeat(i % 100));
  }

  static List<Header> headersOf(int i) {
    List<Header> h = new ArrayList<>();
    if (i % 3 >= 1) h.add(new RecordHeader("h-index", utf8(Integer.toString(i))));
    if (i % 3 == 2) h.add(new RecordHeader("h-empty", new byte[0]));
    return h;
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

  static String show(byte[] b) {
    if (b == null) return "null";
    String s = new String(b, 0, Math.min(b.length, 40), StandardCharsets.UTF_8);
    return s + "(" + b.length + " bytes)";
  }

  static boolean sameHeaders(Header[] got, List<Header> want) {
    if (got.length != want.size()) return false;
    for (int k = 0; k < got.length; k++) {
      Header g = got[k];
      Header w = want.get(k);
      if (!g.key().equals(w.key())) return false;
      if ((g.value() == null) != (w.value() == null)) return false;
      if (g.value() != null && !Arrays.equals(g.value(), w.value())) return false;
    }
    return true;
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    String topicA = "compat-java-a";
    String topicB = "compat-java-b";
    List<TopicPartition> all =
        List.of(
            new TopicPartition(topicA, 0),
            new TopicPartition(topicA, 1),
            new TopicPartition(topicA, 2),
            new TopicPartition(topicA, 3),
            new TopicPartition(topicB, 0));
    Map<String, Long> timings = new LinkedHashMap<>();
    byte[] big = new byte[1 << 20];
    for (int j = 0; j < big.length; j++) big[j] = (byte) (97 + j % 26);
    long t0 = System.currentTimeMillis() - 10L * n - 60_000;

    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    long t = System.nanoTime();
    try (Admin admin = Admin.create(ap)) {
      try {
        admin
            .createTopics(
                List.of(
                    new NewTopic(topicA, 4, (short) 1),
                    // b carries the 1 MiB record: above Kafka's default max.message.bytes.
                    new NewTopic(topicB, 1, (short) 1)
                        .configs(Map.of("max.message.bytes", "2097152"))))
            .all()
            .get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        // A finding, not a reason to stop: the rest of the scenario still runs (the broker
        // may have created the topics even though the client rejected its answer).
        mismatch("CreateTopics failed in the client: " + e.getCause());
      }
      timings.put("createTopics", (System.nanoTime() - t) / 1_000_000);

      // acked.get(tp).get(offset) = record number (n is the big record)
      Map<TopicPartition, TreeMap<Long, Integer>> acked = new HashMap<>();
      Map<TopicPartition, List<Integer>> sent = new HashMap<>();
      for (TopicPartition tp : all) {
        acked.put(tp, new TreeMap<>());
        sent.put(tp, new ArrayList<>());
      }

      t = System.nanoTime();
      for (int c = 0; c < CODECS.length; c++) {
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        pp.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, CODECS[c]);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        pp.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        pp.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304");
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        String codec = CODECS[c];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
          int from = (int) ((long) c * n / CODECS.length);
          int to = (int) ((long) (c + 1) * n / CODECS.length);
          for (int i = from; i <= to; i++) {
            boolean isBig = i == to;
            if (isBig && c != CODECS.length - 1) break;
            TopicPartition tp =
                isBig || i % 5 == 4 ? all.get(4) : all.get(i % 4);
            ProducerRecord<byte[], byte[]> rec =
                isBig
                    ? new ProducerRecord<>(
                        tp.topic(), tp.partition(), t0 + n, utf8("big"), big,
                        List.of(new RecordHeader("h-big", utf8("1"))))
                    : new ProducerRecord<>(
                        tp.topic(), tp.partition(), t0 + i, keyOf(i), valueOf(i), headersOf(i));
            final int num = isBig ? n : i;
            sent.get(tp).add(num);
            producer.send(
                rec,
                (md, err) -> {
                  if (err != null) {
                    mismatch("record " + num + " (" + codec + "): send failed: " + err);
                    return;
                  }
                  synchronized (acked) {
                    acked.get(new TopicPartition(md.topic(), md.partition())).put(md.offset(), num);
                  }
                });
          }
          producer.flush();
        }
      }
      timings.put("produce", (System.nanoTime() - t) / 1_000_000);

      for (TopicPartition tp : all) {
        TreeMap<Long, Integer> m = acked.get(tp);
        long k = 0;
        for (long o : m.keySet()) {
          if (o != k++) {
            mismatch(tp + ": acked offsets are not 0.." + (m.size() - 1));
            break;
          }
        }
        Set<Integer> delivered = new HashSet<>(m.values());
        List<Integer> order = new ArrayList<>();
        for (int i : sent.get(tp)) if (delivered.contains(i)) order.add(i);
        if (!order.equals(new ArrayList<>(m.values())))
          mismatch(tp + ": acked offsets do not follow produce order");
      }

      t = System.nanoTime();
      Map<TopicPartition, OffsetSpec> specE = new HashMap<>();
      Map<TopicPartition, OffsetSpec> specL = new HashMap<>();
      Map<TopicPartition, OffsetSpec> specT = new HashMap<>();
      Map<TopicPartition, long[]> tsQuery = new HashMap<>();
      for (TopicPartition tp : all) {
        specE.put(tp, OffsetSpec.earliest());
        specL.put(tp, OffsetSpec.latest());
        TreeMap<Long, Integer> m = acked.get(tp);
        if (m.size() >= 2) {
          long mid = m.size() / 2;
          Integer prev = m.get(mid - 1);
          long ts = (prev == null ? 0 : t0 + prev) + 1;
          specT.put(tp, OffsetSpec.forTimestamp(ts));
          tsQuery.put(tp, new long[] {ts, mid});
        }
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest =
          admin.listOffsets(specE).all().get(60, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest =
          admin.listOffsets(specL).all().get(60, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> byTs =
          admin.listOffsets(specT).all().get(60, TimeUnit.SECONDS);
      timings.put("listOffsets", (System.nanoTime() - t) / 1_000_000);

      t = System.nanoTime();
      Properties cp = new Properties();
      cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
      Map<TopicPartition, Long> next = new HashMap<>();
      Set<TopicPartition> remaining = new HashSet<>();
      for (TopicPartition tp : all) {
        next.put(tp, 0L);
        if (latest.get(tp).offset() > 0) remaining.add(tp);
      }
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp)) {
        consumer.assign(all);
        consumer.seekToBeginning(all);
        long deadline = System.currentTimeMillis() + 240_000;
        while (!remaining.isEmpty() && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            String where = tp + "@" + r.offset();
            if (r.offset() != next.get(tp))
              mismatch(tp + ": got offset " + r.offset() + ", expected " + next.get(tp));
            next.put(tp, r.offset() + 1);
            Integer num = acked.get(tp).get(r.offset());
            if (num == null) {
              mismatch(where + ": not an acknowledged offset");
            } else {
              boolean isBig = num == n;
              byte[] key = isBig ? utf8("big") : keyOf(num);
              byte[] value = isBig ? big : valueOf(num);
              List<Header> headers =
                  isBig ? List.of(new RecordHeader("h-big", utf8("1"))) : headersOf(num);
              if (!Arrays.equals(r.key(), key))
                mismatch(where + ": key " + show(r.key()) + " != " + show(key));
              if (!Arrays.equals(r.value(), value))
                mismatch(where + ": value " + show(r.value()) + " != " + show(value));
              if (!sameHeaders(r.headers().toArray(), headers))
                mismatch(where + ": headers " + Arrays.toString(r.headers().toArray()) + " != " + headers);
              if (r.timestamp() != t0 + num || r.timestampType() != TimestampType.CREATE_TIME)
                mismatch(where + ": timestamp " + r.timestamp() + " " + r.timestampType() + " != " + (t0 + num));
            }
            if (r.offset() + 1 >= latest.get(tp).offset()) remaining.remove(tp);
          }
        }
      }
      if (!remaining.isEmpty()) mismatch("consume timed out; not read to the end: " + remaining);
      timings.put("consume", (System.nanoTime() - t) / 1_000_000);

      StringBuilder out = new StringBuilder();
      out.append("{\"client\":\"java\",\"version\":")
          .append(json("kafka-clients " + AppInfoParser.getVersion() + ", Java " + System.getProperty("java.version")))
          .append(",\"records\":").append(n + 1)
          .append(",\"codecs\":[\"none\",\"gzip\",\"snappy\",\"lz4\",\"zstd\"],\"partitions\":[");
      for (int k = 0; k < all.size(); k++) {
        TopicPartition tp = all.get(k);
        if (k > 0) out.append(',');
        out.append("{\"topic\":").append(json(tp.topic()))
            .append(",\"partition\":").append(tp.partition())
            .append(",\"acked\":").append(acked.get(tp).size())
            .append(",\"consumed\":").append(next.get(tp))
            .append(",\"earliest\":").append(earliest.get(tp).offset())
            .append(",\"latest\":").append(latest.get(tp).offset())
            .append(",\"byTimestamp\":");
        long[] q = tsQuery.get(tp);
        ListOffsetsResult.ListOffsetsResultInfo info = byTs.get(tp);
        if (q == null || info == null) out.append("null");
        else
          out.append("{\"timestamp\":").append(q[0])
              .append(",\"offset\":").append(info.offset())
              .append(",\"expected\":").append(q[1]).append('}');
        out.append('}');
      }
      out.append("],\"mismatches\":[");
      for (int k = 0; k < mismatches.size(); k++) {
        if (k > 0) out.append(',');
        out.append(json(mismatches.get(k)));
      }
      out.append("],\"timingsMs\":{");
      int k = 0;
      for (Map.Entry<String, Long> e : timings.entrySet()) {
        if (k++ > 0) out.append(',');
        out.append(json(e.getKey())).append(':').append(e.getValue());
      }
      out.append("}}");
      System.out.println(out);
    }
  }
}
