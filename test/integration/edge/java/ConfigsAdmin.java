/*
 * Apache Kafka's Java AdminClient (kafka-clients 3.9.1) against the broker, for
 * configs-real-clients.test.ts: IncrementalAlterConfigs (v1) and DescribeConfigs (v4,
 * synonyms and documentation). Run in source-launcher mode:
 *
 *   java -cp "$HOME/.cache/kafscale/compat/kafka-tools/lib/*" ConfigsAdmin.java HOST:PORT TOPIC
 *
 * Each outcome is printed as one line "<step> <text>"; an exception is printed as
 * "<step> ERROR <ExceptionClass>: <message>", never thrown.
 */
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.config.ConfigResource;

public class ConfigsAdmin {
  interface Step {
    String run() throws Exception;
  }

  static void step(String name, Step s) {
    String out;
    try {
      out = s.run();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      out = "ERROR " + c.getClass().getSimpleName() + ": " + c.getMessage();
    } catch (Exception e) {
      out = "ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    System.out.println(name + " " + out);
  }

  static String entry(ConfigEntry e) {
    String synonyms =
        e.synonyms().stream()
            .map(s -> s.source() + ":" + s.name() + "=" + s.value())
            .collect(Collectors.joining(","));
    String doc = e.documentation() == null ? "none" : String.valueOf(e.documentation().length());
    return e.name() + "=" + e.value() + " source=" + e.source() + " readOnly=" + e.isReadOnly()
        + " type=" + e.type() + " synonyms=[" + synonyms + "] doc=" + doc;
  }

  static AlterConfigOp op(String name, String value, AlterConfigOp.OpType type) {
    return new AlterConfigOp(new ConfigEntry(name, value), type);
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    String topicName = args[1];
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, topicName);
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
    DescribeConfigsOptions full =
        new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true);
    try (Admin admin = Admin.create(props)) {
      step("validate-only", () -> {
        admin.incrementalAlterConfigs(
                Map.of(topic, List.of(op("retention.ms", "1", AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true))
            .all().get(30, TimeUnit.SECONDS);
        return "ok";
      });
      step("incremental", () -> {
        Collection<AlterConfigOp> ops = new ArrayList<>();
        ops.add(op("retention.ms", "3600000", AlterConfigOp.OpType.SET));
        ops.add(op("cleanup.policy", "compact", AlterConfigOp.OpType.APPEND));
        ops.add(op("max.message.bytes", null, AlterConfigOp.OpType.DELETE));
        admin.incrementalAlterConfigs(Map.of(topic, ops)).all().get(30, TimeUnit.SECONDS);
        return "ok";
      });
      step("describe-topic", () -> {
        Config c = admin.describeConfigs(List.of(topic), full).all().get(30, TimeUnit.SECONDS)
            .get(topic);
        return c.entries().size() + " | " + entry(c.get("retention.ms")) + " | "
            + entry(c.get("cleanup.policy")) + " | " + entry(c.get("max.message.bytes"));
      });
      step("unknown-config", () -> {
        admin.incrementalAlterConfigs(
                Map.of(topic, List.of(op("retention.hours", "1", AlterConfigOp.OpType.SET))))
            .all().get(30, TimeUnit.SECONDS);
        return "ok";
      });
      step("append-not-list", () -> {
        admin.incrementalAlterConfigs(
                Map.of(topic, List.of(op("retention.ms", "5", AlterConfigOp.OpType.APPEND))))
            .all().get(30, TimeUnit.SECONDS);
        return "ok";
      });
      step("describe-broker", () -> {
        Config c = admin.describeConfigs(List.of(broker), full).all().get(30, TimeUnit.SECONDS)
            .get(broker);
        return entry(c.get("num.partitions")) + " | " + entry(c.get("log.retention.ms"));
      });
      step("alter-broker", () -> {
        admin.incrementalAlterConfigs(
                Map.of(broker, List.of(op("log.retention.ms", "1000", AlterConfigOp.OpType.SET))))
            .all().get(30, TimeUnit.SECONDS);
        return "ok";
      });
      step("missing-topic", () -> {
        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "no-such-topic");
        admin.describeConfigs(List.of(missing)).all().get(30, TimeUnit.SECONDS);
        return "ok";
      });
    }
  }
}
