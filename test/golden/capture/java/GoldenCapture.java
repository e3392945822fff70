import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives the Apache Kafka Java client against the golden capture broker:
 * an AdminClient, a producer without and one with idempotence, and a consumer in a group.
 * Usage: java -cp JARS:. GoldenCapture host:port
 */
public final class GoldenCapture {
  static final String TOPIC = "golden-topic";
  static final String GROUP = "golden-group";

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    admin(bootstrap, "golden-java-admin", true);
    produce(bootstrap, "golden-java-producer", false, "none", 0);
    produce(bootstrap, "golden-java-idempotent", true, "gzip", 1);
    consume(bootstrap);
    admin(bootstrap, "golden-java-admin-2", false);
    System.err.println("java capture done");
  }

  static Properties common(String bootstrap, String clientId) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("client.id", clientId);
    p.put("request.timeout.ms", "10000");
    p.put("default.api.timeout.ms", "20000");
    return p;
  }

  static void admin(String bootstrap, String clientId, boolean before) throws Exception {
    Properties p = common(bootstrap, clientId);
    try (Admin admin = Admin.create(p)) {
      if (before) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1),
            new NewTopic("golden-topic-to-delete", 1, (short) 1))).all().get();
        System.err.println("cluster id " + admin.describeCluster().clusterId().get());
        System.err.println("topics " + admin.listTopics().names().get());
      } else {
        System.err.println("groups " + admin.describeConsumerGroups(List.of(GROUP)).all().get());
        System.err.println("listed " + admin.listConsumerGroups().all().get());
        System.err.println("offsets " + admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get());
        admin.deleteTopics(List.of("golden-topic-to-delete")).all().get();
      }
    }
  }

  static void produce(String bootstrap, String clientId, boolean idempotent, String compression, int partition)
      throws Exception {
    Properties p = common(bootstrap, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "100");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (int i = 1; i <= 3; i++) {
        ProducerRecord<String, String> r =
            new ProducerRecord<>(TOPIC, partition, "key-" + i, clientId + "-" + i);
        r.headers().add("h" + i, ("v" + i).getBytes(StandardCharsets.UTF_8));
        producer.send(r);
      }
      producer.flush();
    }
  }

  static void consume(String bootstrap) {
    Properties p = common(bootstrap, "golden-java-consumer");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(Collections.singletonList(TOPIC));
      int seen = 0;
      long until = System.currentTimeMillis() + 30000;
      while (seen < 6 && System.currentTimeMillis() < until) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, String> r : records) {
          seen++;
          System.err.println("consumed " + r.partition() + "/" + r.offset() + " " + r.key() + " " + r.value());
        }
        if (!records.isEmpty()) consumer.commitSync();
      }
      if (seen < 6) throw new IllegalStateException("consumed only " + seen + " of 6 records");
    }
  }
}
