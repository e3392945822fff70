// The consumer-group compatibility scenario (test/compat/README.md, "Consumer groups") with the
// Apache Kafka Java client: eager (range) and cooperative-sticky groups of KafkaConsumer
// threads that join, grow, shrink and restart; committed offsets that survive a restart; the
// Admin group calls; and eviction of a member that dies without leaving (a child JVM killed
// with SIGKILL). Every check becomes {name, ok, detail}; the last stdout line is the result
// JSON (test/compat/support/group-result.ts). Every wait is bounded: a timeout fails its check.
// Usage: java -cp ... CompatJavaGroups BOOTSTRAP [RECORDS [BUDGET_SECONDS]]
//        java -cp ... CompatJavaGroups --evict-child BOOTSTRAP   (internal: the member to kill)
// Debug: -Dorg.slf4j.simpleLogger.defaultLogLevel=debug (the test passes KAFSCALE_COMPAT_DEBUG).

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;

public class CompatJavaGroups {
  static final String TOPIC = "compat-java-groups";
  static final int PARTITIONS = 12;
  static final String EAGER = "compat-java-eager";
  static final String COOP = "compat-java-coop";
  static final String EVICT = "compat-java-evict";
  static final int RESTART_RECORDS = 1_200;
  /** A group is stable when no member's assignment changed for this long. */
  static final long QUIET_MS = 1_000;

  static String bootstrap;
  static long budgetEnd;
  static final List<String[]> checks = Collections.synchronizedList(new ArrayList<>());
  static final Map<String, Long> timings = Collections.synchronizedMap(new LinkedHashMap<>());

  // --- results ---------------------------------------------------------------------------

  static void check(String name, boolean ok, String detail) {
    checks.add(new String[] {name, Boolean.toString(ok), detail});
    System.err.println("[compat-java-groups] " + (ok ? "PASS " : "FAIL ") + name + ": " + detail);
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

  static String resultJson(int n) {
    StringBuilder out = new StringBuilder();
    out.append("{\"client\":\"java\",\"version\":")
        .append(json("kafka-clients " + AppInfoParser.getVersion() + ", Java " + System.getProperty("java.version")))
        .append(",\"records\":").append(n)
        .append(",\"checks\":[");
    synchronized (checks) {
      for (int k = 0; k < checks.size(); k++) {
        String[] c = checks.get(k);
        if (k > 0) out.append(',');
        out.append("{\"name\":").append(json(c[0]))
            .append(",\"ok\":").append(c[1])
            .append(",\"detail\":").append(json(c[2])).append('}');
      }
    }
    out.append("],\"timingsMs\":{");
    synchronized (timings) {
      int k = 0;
      for (Map.Entry<String, Long> e : timings.entrySet()) {
        if (k++ > 0) out.append(',');
        out.append(json(e.getKey())).append(':').append(e.getValue());
      }
    }
    return out.append("}}").toString();
  }

  // --- time ------------------------------------------------------------------------------

  static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }

  /** A deadline ms from now, never past the run's budget. */
  static long until(long ms) {
    return Math.min(nowMs() + ms, budgetEnd);
  }

  /** A timeout for one call: at most capMs, less when the budget is nearly spent (at least 1 s). */
  static long left(long capMs) {
    return Math.max(1_000, Math.min(capMs, budgetEnd - nowMs()));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String cause(Throwable e) {
    Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }

  static TopicPartition tp(int p) {
    return new TopicPartition(TOPIC, p);
  }

  static List<TopicPartition> allPartitions() {
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) all.add(tp(p));
    return all;
  }

  static Set<Integer> ids(Collection<TopicPartition> parts) {
    Set<Integer> s = new TreeSet<>();
    for (TopicPartition t : parts) if (t.topic().equals(TOPIC)) s.add(t.partition());
    return s;
  }

  // --- what the consumers saw ------------------------------------------------------------

  /** Every record a set of consumers processed: (partition, offset) -> who, value -> count. */
  static final class Sink {
    final ConcurrentHashMap<Long, String> positions = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Integer, Integer> values = new ConcurrentHashMap<>();
    final AtomicInteger records = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger bad = new AtomicInteger();
    final List<String> notes = Collections.synchronizedList(new ArrayList<>());

    void note(String s) {
      synchronized (notes) {
        if (notes.size() < 10) notes.add(s);
      }
    }

    void record(String member, int generation, ConsumerRecord<String, String> r) {
      records.incrementAndGet();
      long pos = ((long) r.partition() << 40) | r.offset();
      String who = member + " (generation " + generation + ")";
      String prev = positions.putIfAbsent(pos, who);
      if (prev != null) {
        duplicates.incrementAndGet();
        note("p" + r.partition() + "@" + r.offset() + " processed by " + prev + " and again by " + who);
      }
      int v;
      try {
        v = Integer.parseInt(r.value());
      } catch (RuntimeException e) {
        bad.incrementAndGet();
        note("p" + r.partition() + "@" + r.offset() + ": value " + r.value() + " is not a record number");
        return;
      }
      if (!r.value().equals(r.key()) || v % PARTITIONS != r.partition()) {
        bad.incrementAndGet();
        note("p" + r.partition() + "@" + r.offset() + ": key " + r.key() + ", value " + r.value());
      }
      values.merge(v, 1, Integer::sum);
    }

    /** Values in [from, to) not seen, as "count (first few)". */
    String missing(int from, int to) {
      List<Integer> miss = new ArrayList<>();
      int count = 0;
      for (int i = from; i < to; i++) {
        if (!values.containsKey(i)) {
          count++;
          if (miss.size() < 10) miss.add(i);
        }
      }
      return count == 0 ? "none" : count + " " + miss + (count > miss.size() ? "..." : "");
    }

    int seenIn(int from, int to) {
      int c = 0;
      for (int v : values.keySet()) if (v >= from && v < to) c++;
      return c;
    }
  }

  /** What a stability check looks at: one group member's partitions as it sees them. */
  interface View {
    String name();

    Set<Integer> parts();

    long lastChangeMs();

    int generation();

    /** Why this member cannot be part of a stable group (null when it can). */
    String problem();
  }

  record Event(long atMs, String kind, Set<Integer> partitions, Set<Integer> before) {}

  /**
   * One KafkaConsumer on its own thread: subscribe, poll, "process" (record in the sink, paced),
   * commitSync after each poll; the rebalance listener commits what it processed of revoked
   * partitions and tracks the current assignment.
   */
  static final class Member implements View, ConsumerRebalanceListener, Runnable {
    final String name;
    final Properties props;
    final Sink sink;
    final long paceMicros;
    final Thread thread;
    final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> commitErrors = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger commits = new AtomicInteger();
    volatile long lastChange = nowMs();
    volatile int generation = -1;
    volatile boolean stopping;
    volatile boolean closed;
    volatile String failure;
    volatile long closeMs = -1;
    private KafkaConsumer<String, String> consumer;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

    Member(String name, String group, String assignor, int sessionTimeoutMs, Sink sink, long paceMicros) {
      this.name = name;
      this.sink = sink;
      this.paceMicros = paceMicros;
      props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + name);
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(sessionTimeoutMs));
      props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(Math.min(3_000, sessionTimeoutMs / 3)));
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
      props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      thread = new Thread(this, group + "-" + name);
      thread.setDaemon(true);
    }

    Member start() {
      thread.start();
      return this;
    }

    /** Stops polling and closes the consumer (on its own thread); false if that did not end in time. */
    boolean stopAndClose(long timeoutMs) {
      stopping = true;
      try {
        thread.join(Math.max(1, timeoutMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return closed;
    }

    @Override
    public void run() {
      try {
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(TOPIC), this);
        while (!stopping) {
          ConsumerRecords<String, String> recs = consumer.poll(Duration.ofMillis(200));
          generation = consumer.groupMetadata().generationId();
          int count = 0;
          for (ConsumerRecord<String, String> r : recs) {
            sink.record(name, generation, r);
            pending.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            count++;
          }
          // "Processing" takes a while, so that records are still in flight when the group
          // rebalances.
          if (count > 0 && paceMicros > 0 && !stopping) sleep(count * paceMicros / 1000);
          commitPending(null);
        }
      } catch (Throwable e) {
        failure = cause(e);
      } finally {
        if (consumer != null) {
          long t = nowMs();
          try {
            consumer.close(Duration.ofSeconds(15));
          } catch (Throwable e) {
            if (failure == null) failure = "close: " + cause(e);
          }
          closeMs = nowMs() - t;
        }
        closed = true;
      }
    }

    private void commitPending(Collection<TopicPartition> only) {
      Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
      for (Map.Entry<TopicPartition, OffsetAndMetadata> e : pending.entrySet())
        if (only == null || only.contains(e.getKey())) m.put(e.getKey(), e.getValue());
      if (m.isEmpty()) return;
      try {
        consumer.commitSync(m, Duration.ofSeconds(15));
        commits.incrementAndGet();
        pending.keySet().removeAll(m.keySet());
      } catch (RebalanceInProgressException e) {
        // Kept: committed by onPartitionsRevoked (or after the next poll).
        commitError((only == null ? "after poll" : "on revoke") + ": " + cause(e));
      } catch (CommitFailedException e) {
        commitError((only == null ? "after poll" : "on revoke") + ": " + cause(e));
        pending.keySet().removeAll(m.keySet());
      } catch (KafkaException e) {
        commitError((only == null ? "after poll" : "on revoke") + ": " + cause(e));
      }
    }

    private void commitError(String s) {
      synchronized (commitErrors) {
        if (commitErrors.size() < 5) commitErrors.add(s);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> parts) {
      events.add(new Event(nowMs(), "revoked", ids(parts), ids(assignment)));
      commitPending(parts);
      assignment.removeAll(parts);
      lastChange = nowMs();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> parts) {
      events.add(new Event(nowMs(), "assigned", ids(parts), ids(assignment)));
      assignment.addAll(parts);
      lastChange = nowMs();
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> parts) {
      events.add(new Event(nowMs(), "lost", ids(parts), ids(assignment)));
      pending.keySet().removeAll(parts);
      assignment.removeAll(parts);
      lastChange = nowMs();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<Integer> parts() {
      return ids(assignment);
    }

    @Override
    public long lastChangeMs() {
      return lastChange;
    }

    @Override
    public int generation() {
      return generation;
    }

    @Override
    public String problem() {
      if (failure != null) return "failed: " + failure;
      if (closed || stopping) return "closed";
      return null;
    }

    String summary() {
      int revoked = 0;
      int lost = 0;
      synchronized (events) {
        for (Event e : events) {
          if (e.kind().equals("revoked") && !e.partitions().isEmpty()) revoked++;
          if (e.kind().equals("lost") && !e.partitions().isEmpty()) lost++;
        }
      }
      return name + ": " + commits.get() + " commits, " + revoked + " revocations, " + lost + " lost"
          + (commitErrors.isEmpty() ? "" : ", commit errors " + commitErrors)
          + (failure == null ? "" : ", failure " + failure);
    }
  }

  // --- stability -------------------------------------------------------------------------

  /** Null when the members hold every partition exactly once, agree on the generation and were quiet for QUIET_MS. */
  static String instability(List<? extends View> views) {
    int[] owners = new int[PARTITIONS];
    int gen = Integer.MIN_VALUE;
    long last = 0;
    for (View v : views) {
      String p = v.problem();
      if (p != null) return v.name() + " " + p;
      Set<Integer> parts = v.parts();
      if (parts.isEmpty()) return v.name() + " has no partition";
      for (int q : parts) if (q >= 0 && q < PARTITIONS) owners[q]++;
      if (gen == Integer.MIN_VALUE) gen = v.generation();
      else if (gen != v.generation()) return "members are at different generations";
      last = Math.max(last, v.lastChangeMs());
    }
    for (int q = 0; q < PARTITIONS; q++)
      if (owners[q] != 1) return "partition " + q + " is held by " + owners[q] + " members";
    long quiet = nowMs() - last;
    if (quiet < QUIET_MS) return "last assignment change " + quiet + " ms ago";
    return null;
  }

  static String describe(List<? extends View> views) {
    StringBuilder b = new StringBuilder();
    for (View v : views) {
      if (b.length() > 0) b.append(' ');
      b.append(v.name()).append('=').append(v.parts()).append("@g").append(v.generation());
    }
    return b.toString();
  }

  /** Waits until instability() is null; the result is [ok, detail]. */
  static Object[] waitStable(List<? extends View> views, long timeoutMs) {
    long start = nowMs();
    long end = until(timeoutMs);
    while (true) {
      String why = instability(views);
      if (why == null)
        return new Object[] {true, describe(views) + " (stable; waited " + (nowMs() - start) + " ms)"};
      if (nowMs() > end)
        return new Object[] {false, "not stable within " + (nowMs() - start) + " ms: " + why + "; " + describe(views)};
      sleep(100);
    }
  }

  // --- producing, offsets ----------------------------------------------------------------

  /** Sends records from..to-1 (key = value = the number, partition = number % 12); returns failures. */
  static int produce(int from, int to) throws Exception {
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    pp.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(left(20_000)));
    pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    AtomicInteger failed = new AtomicInteger();
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
      for (int i = from; i < to && failed.get() == 0; i++) {
        String s = Integer.toString(i);
        producer.send(
            new ProducerRecord<>(TOPIC, i % PARTITIONS, s, s),
            (md, err) -> {
              if (err != null && failed.incrementAndGet() <= 3) errors.add(cause(err));
            });
      }
      producer.flush();
    }
    if (failed.get() > 0) System.err.println("[compat-java-groups] produce errors (sending stopped): " + errors);
    return failed.get();
  }

  static Map<Integer, Long> endOffsets(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
    for (TopicPartition t : allPartitions()) spec.put(t, OffsetSpec.latest());
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r =
        admin.listOffsets(spec).all().get(left(30_000), TimeUnit.MILLISECONDS);
    Map<Integer, Long> m = new TreeMap<>();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : r.entrySet())
      m.put(e.getKey().partition(), e.getValue().offset());
    return m;
  }

  static Map<Integer, Long> committed(Admin admin, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> r =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(left(30_000), TimeUnit.MILLISECONDS);
    Map<Integer, Long> m = new TreeMap<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : r.entrySet())
      if (e.getKey().topic().equals(TOPIC) && e.getValue() != null) m.put(e.getKey().partition(), e.getValue().offset());
    return m;
  }

  static String stopAll(List<Member> members, long capMs) {
    long timeoutMs = left(capMs);
    for (Member m : members) m.stopping = true;
    long end = nowMs() + timeoutMs;
    List<String> bad = new ArrayList<>();
    for (Member m : members) {
      if (!m.stopAndClose(end - nowMs())) bad.add(m.name + " did not close within " + timeoutMs + " ms");
      else if (m.failure != null) bad.add(m.name + " " + m.failure);
    }
    return bad.isEmpty() ? null : String.join("; ", bad);
  }

  static String summaries(List<Member> members) {
    List<String> s = new ArrayList<>();
    for (Member m : members) s.add(m.summary());
    return String.join("; ", s);
  }

  // --- the scenario ----------------------------------------------------------------------

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("--evict-child")) {
      evictChild(args[1]);
      return;
    }
    bootstrap = args[0];
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    long budgetS = args.length > 2 ? Long.parseLong(args[2]) : 210;
    budgetEnd = nowMs() + budgetS * 1000;
    List<Member> everyone = Collections.synchronizedList(new ArrayList<>());
    Process[] child = new Process[1];
    // Whatever hangs, the result is printed 15 s after the budget (the test waits 30 s more).
    Thread watchdog = new Thread(() -> {
      sleep(budgetEnd + 15_000 - nowMs());
      check("scenario finished within its budget of " + budgetS + " s", false, "still running; stopped");
      finish(n, everyone, child);
    });
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      run(n, everyone, child);
    } catch (Throwable e) {
      check("scenario ran to the end", false, "stopped by " + cause(e));
    } finally {
      finish(n, everyone, child);
    }
  }

  /** Prints the result once and ends the JVM (consumer threads still closing must not keep it alive). */
  static synchronized void finish(int n, List<Member> everyone, Process[] child) {
    if (child[0] != null) child[0].destroyForcibly();
    synchronized (everyone) {
      for (Member m : everyone) m.stopping = true;
    }
    System.out.println(resultJson(n));
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  static void run(int n, List<Member> everyone, Process[] child) throws Exception {
    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Admin admin = Admin.create(ap);
    try {
      // Without the topic and its records nothing else means anything: an exception ends the run.
      Map<Integer, Long> end = topicAndRecords(admin, n);
      Map<Integer, Long> end2 = Map.of();
      try {
        end2 = eagerAndRestart(admin, n, end, everyone);
      } catch (Exception e) {
        check("eager group and restart steps ran to the end", false, "stopped by " + cause(e));
      }
      try {
        cooperativeAndAdmin(admin, end2, everyone);
      } catch (Exception e) {
        check("cooperative group and Admin steps ran to the end", false, "stopped by " + cause(e));
      }
      try {
        // 6. A member that dies without leaving is evicted after its session timeout.
        long t = nowMs();
        evict(child, everyone);
        timings.put("evict", nowMs() - t);
      } catch (Exception e) {
        check("eviction step ran to the end", false, "stopped by " + cause(e));
      }
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }

  /** 1. The topic and its N records; returns the end offsets. */
  static Map<Integer, Long> topicAndRecords(Admin admin, int n) throws Exception {
    long t = nowMs();
    String created;
    try {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(left(60_000), TimeUnit.MILLISECONDS);
      created = "created";
    } catch (ExecutionException e) {
      created = e.getCause() instanceof TopicExistsException ? "already existed" : "createTopics failed: " + cause(e);
    }
    int partitions = -1;
    try {
      TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(left(30_000), TimeUnit.MILLISECONDS).get(TOPIC);
      partitions = d.partitions().size();
    } catch (ExecutionException e) {
      created += "; describeTopics failed: " + cause(e);
    }
    check("topic " + TOPIC + " has " + PARTITIONS + " partitions", partitions == PARTITIONS, created + "; describeTopics: " + partitions + " partitions");
    timings.put("createTopic", nowMs() - t);

    t = nowMs();
    int failed = produce(0, n);
    Map<Integer, Long> end = endOffsets(admin);
    long total = 0;
    for (long o : end.values()) total += o;
    check("produce " + n + " records over " + PARTITIONS + " partitions", failed == 0 && total == n,
        failed + " sends failed; end offsets " + end + " (sum " + total + ")");
    timings.put("produce", nowMs() - t);
    return end;
  }

  /** 2 and 3. The eager group, then a restart of it; returns the end offsets after the second produce. */
  static Map<Integer, Long> eagerAndRestart(Admin admin, int n, Map<Integer, Long> end, List<Member> everyone)
      throws Exception {
    // 2. Eager group: 3 members, a 4th joins, one of the first leaves; every record once.
    long t = nowMs();
    Sink eagerSink = new Sink();
    long pace = Math.min(5_000, 50_000_000L / Math.max(1, n));
    String range = RangeAssignor.class.getName();
    List<Member> eager = new ArrayList<>();
    for (int k = 1; k <= 3; k++) eager.add(new Member("c" + k, EAGER, range, 10_000, eagerSink, pace));
    everyone.addAll(eager);
    for (Member m : eager) m.start();
    Object[] s = waitStable(eager, 45_000);
    check("eager: 3 members share 12 partitions exactly once", (boolean) s[0],
        s[1] + "; " + eagerSink.values.size() + "/" + n + " records processed so far");
    timings.put("eagerJoin3", nowMs() - t);

    t = nowMs();
    Member fourth = new Member("c4", EAGER, range, 10_000, eagerSink, pace);
    everyone.add(fourth);
    eager.add(fourth.start());
    s = waitStable(eager, 45_000);
    check("eager: 4 members share 12 partitions exactly once after a 4th joins", (boolean) s[0],
        s[1] + "; " + eagerSink.values.size() + "/" + n + " records processed so far");
    timings.put("eagerJoin4", nowMs() - t);

    t = nowMs();
    Member leaving = eager.remove(0);
    boolean closedInTime = leaving.stopAndClose(left(20_000));
    s = waitStable(eager, 45_000);
    check("eager: 3 members share 12 partitions exactly once after one closes",
        closedInTime && leaving.failure == null && (boolean) s[0],
        leaving.name + (closedInTime ? " closed in " + leaving.closeMs + " ms" : " did not close within 20 s")
            + (leaving.failure == null ? "" : " (" + leaving.failure + ")") + "; " + s[1] + "; "
            + eagerSink.values.size() + "/" + n + " records processed so far");
    timings.put("eagerLeave", nowMs() - t);

    t = nowMs();
    long stop = until(120_000);
    while (eagerSink.values.size() < n && nowMs() < stop) sleep(100);
    sleep(500);
    List<Member> eagerAll = new ArrayList<>(eager);
    eagerAll.add(0, leaving);
    String closeProblems = stopAll(eager, 30_000);
    timings.put("eagerConsumeRest", nowMs() - t);
    check("eager: no record processed twice across the rebalances", eagerSink.duplicates.get() == 0,
        eagerSink.duplicates.get() + " duplicates of " + eagerSink.records.get() + " records processed "
            + eagerSink.notes + "; " + summaries(eagerAll));
    int valuesTwice = 0;
    for (int c : eagerSink.values.values()) if (c > 1) valuesTwice++;
    check("eager: no record skipped (all " + n + " processed)",
        eagerSink.values.size() == n && eagerSink.bad.get() == 0,
        eagerSink.values.size() + "/" + n + " distinct records processed; missing " + eagerSink.missing(0, n)
            + "; " + eagerSink.bad.get() + " malformed; " + valuesTwice + " record numbers at two offsets");
    check("eager: members close cleanly", closeProblems == null,
        closeProblems == null ? "all closed" : closeProblems);

    // 3. Committed offsets survive: a new member of the group reads only new records.
    t = nowMs();
    Map<Integer, Long> commit = new TreeMap<>();
    String commitErr = "";
    try {
      commit = committed(admin, EAGER);
    } catch (Exception e) {
      commitErr = "listConsumerGroupOffsets failed: " + cause(e) + "; ";
    }
    check("restart: committed offsets are the end offsets of all 12 partitions", commit.equals(end),
        commitErr + "committed " + commit + ", end offsets " + end);

    int failed = produce(n, n + RESTART_RECORDS);
    Map<Integer, Long> end2 = endOffsets(admin);
    Sink restartSink = new Sink();
    Member restart = new Member("restart", EAGER, range, 10_000, restartSink, 0);
    everyone.add(restart);
    restart.start();
    stop = until(60_000);
    while (restartSink.values.size() < RESTART_RECORDS && restart.problem() == null && nowMs() < stop) sleep(100);
    sleep(1_500); // anything else it would read arrives now
    String restartClose = stopAll(List.of(restart), 20_000);
    int fresh = restartSink.seenIn(n, n + RESTART_RECORDS);
    int old = restartSink.seenIn(0, n);
    check("restart: a new member reads exactly the " + RESTART_RECORDS + " records produced after the commit",
        failed == 0 && fresh == RESTART_RECORDS && old == 0 && restartSink.records.get() == RESTART_RECORDS
            && restartClose == null,
        failed + " sends failed; read " + restartSink.records.get() + " records: " + fresh + " new, " + old
            + " from before the commit; missing " + restartSink.missing(n, n + RESTART_RECORDS)
            + "; " + restart.summary() + (restartClose == null ? "" : "; " + restartClose));
    timings.put("restart", nowMs() - t);
    return end2;
  }

  /** 4 and 5. The cooperative group, and the Admin group calls while it is up. */
  static void cooperativeAndAdmin(Admin admin, Map<Integer, Long> end2, List<Member> everyone) throws Exception {
    // 4. Cooperative: a 4th member joins without the others giving up everything.
    long t = nowMs();
    Sink coopSink = new Sink();
    String sticky = CooperativeStickyAssignor.class.getName();
    List<Member> coop = new ArrayList<>();
    for (int k = 1; k <= 3; k++) coop.add(new Member("c" + k, COOP, sticky, 10_000, coopSink, 0));
    everyone.addAll(coop);
    for (Member m : coop) m.start();
    Object[] s = waitStable(coop, 45_000);
    check("cooperative: 3 members share 12 partitions exactly once", (boolean) s[0], (String) s[1]);
    timings.put("coopJoin3", nowMs() - t);

    t = nowMs();
    Map<String, Set<Integer>> before = new LinkedHashMap<>();
    for (Member m : coop) before.put(m.name, m.parts());
    long joinAt = nowMs();
    Member coop4 = new Member("c4", COOP, sticky, 10_000, coopSink, 0);
    everyone.add(coop4);
    coop.add(coop4.start());
    s = waitStable(coop, 45_000);
    List<String> seen = new ArrayList<>();
    List<String> eagerLike = new ArrayList<>();
    int revokedTotal = 0;
    for (Member m : coop.subList(0, 3)) {
      List<Set<Integer>> revs = new ArrayList<>();
      synchronized (m.events) {
        for (Event e : m.events) {
          if (e.atMs() < joinAt || e.partitions().isEmpty()) continue;
          if (e.kind().equals("lost")) eagerLike.add(m.name + " lost " + e.partitions());
          if (!e.kind().equals("revoked")) continue;
          revs.add(e.partitions());
          revokedTotal += e.partitions().size();
          if (e.partitions().containsAll(e.before()))
            eagerLike.add(m.name + " had " + e.before() + " and all were revoked");
        }
      }
      seen.add(m.name + " had " + before.get(m.name) + ", revoked " + revs + ", now " + m.parts());
    }
    check("cooperative: when a 4th joins, no member has all its partitions revoked",
        (boolean) s[0] && eagerLike.isEmpty() && revokedTotal > 0,
        (eagerLike.isEmpty() ? "" : "eager-like: " + eagerLike + "; ") + String.join("; ", seen)
            + "; c4 got " + coop4.parts());
    check("cooperative: 4 members share 12 partitions exactly once", (boolean) s[0], (String) s[1]);
    timings.put("coopJoin4", nowMs() - t);

    // 5. Admin: list, describe, alter offsets, delete (while the cooperative group is up).
    t = nowMs();
    try {
      Collection<ConsumerGroupListing> listed = admin.listConsumerGroups().all().get(left(30_000), TimeUnit.MILLISECONDS);
      int e = 0;
      int c = 0;
      List<String> shown = new ArrayList<>();
      for (ConsumerGroupListing l : listed) {
        if (l.groupId().equals(EAGER)) e++;
        if (l.groupId().equals(COOP)) c++;
        shown.add(l.groupId() + l.state().map(x -> "(" + x + ")").orElse(""));
      }
      check("admin: listConsumerGroups lists both groups once", e == 1 && c == 1, "listed " + shown);
    } catch (Exception e) {
      check("admin: listConsumerGroups lists both groups once", false, "failed: " + cause(e));
    }

    try {
      Map<String, ConsumerGroupDescription> d =
          admin.describeConsumerGroups(List.of(EAGER, COOP)).all().get(left(30_000), TimeUnit.MILLISECONDS);
      ConsumerGroupDescription cd = d.get(COOP);
      int[] owners = new int[PARTITIONS];
      List<String> diffs = new ArrayList<>();
      List<String> members = new ArrayList<>();
      for (MemberDescription md : cd.members()) {
        Set<Integer> parts = ids(md.assignment().topicPartitions());
        members.add(md.clientId() + "=" + parts);
        for (int q : parts) owners[q]++;
        Member local = null;
        for (Member m : coop) if ((COOP + "-" + m.name).equals(md.clientId())) local = m;
        if (local == null) diffs.add("unknown member " + md.clientId());
        else if (!local.parts().equals(parts)) diffs.add(md.clientId() + " thinks it has " + local.parts());
      }
      boolean once = true;
      for (int q = 0; q < PARTITIONS; q++) once &= owners[q] == 1;
      check("admin: describeConsumerGroups shows the cooperative group Stable with 4 members and their assignments",
          cd.state() == ConsumerGroupState.STABLE && cd.members().size() == 4 && once && diffs.isEmpty()
              && "cooperative-sticky".equals(cd.partitionAssignor()),
          "state " + cd.state() + ", assignor " + cd.partitionAssignor() + ", members " + members
              + (diffs.isEmpty() ? "" : ", differences " + diffs));
      ConsumerGroupDescription ed = d.get(EAGER);
      check("admin: describeConsumerGroups shows the eager group Empty", ed.state() == ConsumerGroupState.EMPTY && ed.members().isEmpty(),
          "state " + ed.state() + ", " + ed.members().size() + " members, assignor '" + ed.partitionAssignor() + "'");
    } catch (Exception e) {
      check("admin: describeConsumerGroups", false, "failed: " + cause(e));
    }

    try {
      admin.alterConsumerGroupOffsets(EAGER, Map.of(tp(0), new OffsetAndMetadata(5))).all().get(left(30_000), TimeUnit.MILLISECONDS);
      Map<Integer, Long> after = committed(admin, EAGER);
      Map<Integer, Long> want = new TreeMap<>(end2);
      want.put(0, 5L);
      check("admin: alterConsumerGroupOffsets on the empty group sets partition 0 to 5", after.equals(want),
          "listConsumerGroupOffsets " + after + ", expected " + want);
    } catch (Exception e) {
      check("admin: alterConsumerGroupOffsets on the empty group sets partition 0 to 5", false, "failed: " + cause(e));
    }

    try {
      admin.deleteConsumerGroups(List.of(COOP)).all().get(left(30_000), TimeUnit.MILLISECONDS);
      check("admin: deleteConsumerGroups on a group with members fails with GroupNotEmpty", false, "the delete succeeded");
    } catch (ExecutionException e) {
      check("admin: deleteConsumerGroups on a group with members fails with GroupNotEmpty",
          e.getCause() instanceof GroupNotEmptyException, cause(e));
    }

    try {
      admin.deleteConsumerGroups(List.of(EAGER)).all().get(left(30_000), TimeUnit.MILLISECONDS);
      String state;
      boolean gone;
      try {
        ConsumerGroupDescription ed =
            admin.describeConsumerGroups(List.of(EAGER)).all().get(left(30_000), TimeUnit.MILLISECONDS).get(EAGER);
        state = "described as " + ed.state() + " with " + ed.members().size() + " members";
        gone = ed.state() == ConsumerGroupState.DEAD;
      } catch (ExecutionException e) {
        state = "describe: " + cause(e);
        gone = e.getCause() instanceof GroupIdNotFoundException;
      }
      boolean listed = false;
      for (ConsumerGroupListing l : admin.listConsumerGroups().all().get(left(30_000), TimeUnit.MILLISECONDS))
        listed |= l.groupId().equals(EAGER);
      Map<Integer, Long> left = Map.of();
      String offsets;
      try {
        left = committed(admin, EAGER);
        offsets = "committed offsets " + left;
      } catch (ExecutionException e) {
        offsets = "listConsumerGroupOffsets: " + cause(e);
      }
      check("admin: deleteConsumerGroups on the empty group succeeds; the group is then Dead/absent",
          gone && !listed && left.isEmpty(),
          "deleted; " + state + "; " + (listed ? "still listed" : "no longer listed") + "; " + offsets);
    } catch (ExecutionException e) {
      check("admin: deleteConsumerGroups on the empty group succeeds; the group is then Dead/absent", false,
          "delete failed: " + cause(e));
    }
    timings.put("admin", nowMs() - t);

    String coopClose = stopAll(coop, 30_000);
    check("cooperative: members close cleanly", coopClose == null, coopClose == null ? summaries(coop) : coopClose);
  }

  // --- eviction --------------------------------------------------------------------------

  /** The member in the child JVM, as the parent sees it from the lines the child prints. */
  static final class ChildView implements View {
    final Process process;
    volatile Set<Integer> parts = Set.of();
    volatile int generation = -1;
    volatile long lastChange = nowMs();
    volatile String error;

    ChildView(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            // "ASSIGNED <generation> <p,p,...>" after every change
            String[] f = line.split(" ");
            if (f.length >= 2 && f[0].equals("ASSIGNED")) {
              Set<Integer> s = new TreeSet<>();
              if (f.length > 2 && !f[2].isEmpty()) for (String p : f[2].split(",")) s.add(Integer.parseInt(p));
              generation = Integer.parseInt(f[1]);
              parts = s;
              lastChange = nowMs();
            } else if (line.startsWith("ERROR")) {
              error = line;
            }
          }
        } catch (Exception e) {
          // the process was killed
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    @Override
    public String name() {
      return "child";
    }

    @Override
    public Set<Integer> parts() {
      return parts;
    }

    @Override
    public long lastChangeMs() {
      return lastChange;
    }

    @Override
    public int generation() {
      return generation;
    }

    @Override
    public String problem() {
      if (error != null) return error;
      return process.isAlive() ? null : "exited " + process.exitValue();
    }
  }

  static void evict(Process[] child, List<Member> everyone) throws Exception {
    String name = "evict: a member killed without leaving is evicted; the survivor gets all 12 partitions within 30 s";
    String java = System.getProperty("java.home") + "/bin/java";
    String level = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    ProcessBuilder pb = new ProcessBuilder(
        java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + level, "-cp", System.getProperty("java.class.path"),
        "CompatJavaGroups", "--evict-child", bootstrap);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    child[0] = p;
    ChildView cv = new ChildView(p);
    long start = nowMs();
    long stop = until(45_000);
    while (cv.parts().size() != PARTITIONS && cv.problem() == null && nowMs() < stop) sleep(100);
    if (cv.parts().size() != PARTITIONS) {
      check(name, false, "the child member did not get the 12 partitions within " + (nowMs() - start) + " ms: "
          + cv.parts() + (cv.problem() == null ? "" : " (" + cv.problem() + ")"));
      p.destroyForcibly();
      return;
    }
    Member survivor = new Member("survivor", EVICT, RangeAssignor.class.getName(), 10_000, new Sink(), 0);
    everyone.add(survivor);
    survivor.start();
    List<View> both = List.of(cv, survivor);
    Object[] s = waitStable(both, 45_000);
    if (!(boolean) s[0]) {
      check(name, false, "the two members did not share the partitions: " + s[1]);
      p.destroyForcibly();
      stopAll(List.of(survivor), 20_000);
      return;
    }
    Set<Integer> childHad = cv.parts();
    Set<Integer> survivorHad = survivor.parts();
    long killedAt = nowMs();
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
    stop = until(30_000);
    while (survivor.parts().size() != PARTITIONS && survivor.problem() == null && nowMs() < stop) sleep(50);
    long took = nowMs() - killedAt;
    boolean ok = survivor.parts().size() == PARTITIONS;
    String closeProblem = stopAll(List.of(survivor), 20_000);
    check(name, ok && closeProblem == null,
        "child (session.timeout.ms 6000) held " + childHad + ", survivor " + survivorHad + "; after SIGKILL the survivor "
            + (ok ? "held all 12 after " + took + " ms" : "held " + survivor.parts() + " after " + took + " ms")
            + "; " + survivor.summary() + (closeProblem == null ? "" : "; " + closeProblem));
  }

  /** The child JVM: one member of the eviction group, printing its assignment until it is killed. */
  static void evictChild(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, EVICT);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, EVICT + "-child");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    // Ends with its parent (stdin closes) and in any case after 3 minutes.
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {}
      } catch (Exception e) {
        // parent gone
      }
      Runtime.getRuntime().halt(0);
    });
    watchdog.setDaemon(true);
    watchdog.start();
    long stop = nowMs() + 180_000;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(TOPIC));
      String last = "";
      while (nowMs() < stop) {
        consumer.poll(Duration.ofMillis(200));
        String now = consumer.groupMetadata().generationId() + " "
            + String.join(",", ids(consumer.assignment()).stream().map(String::valueOf).toList());
        if (!now.equals(last)) {
          System.out.println("ASSIGNED " + now);
          System.out.flush();
          last = now;
        }
      }
    } catch (Throwable e) {
      System.out.println("ERROR " + cause(e));
      System.out.flush();
    }
    Runtime.getRuntime().halt(0);
  }
}
