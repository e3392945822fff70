"""confluent-kafka-python (librdkafka) admin scenario; see test/compat/README.md, "Admin APIs".

Usage: admin.py BOOTSTRAP
Topics are named compat-python-admin-<what>-<run id>, so the program can run again against
the same broker. Each step makes named checks of what the broker answered:

1. create_topics: validate_only creates nothing; "cfg" (3 partitions, retention.ms and
   cleanup.policy set) and "log" (1 partition) are created; list_topics(topic) and
   describe_topics show their partitions, list_topics() (all topics) lists them; creating
   "cfg" again is TOPIC_ALREADY_EXISTS; an unknown config name and a bad value are
   INVALID_CONFIG. (Existence is checked with describe_topics: list_topics(topic) may
   auto-create, librdkafka's admin client being a producer.)
2. describe_configs: the topic's overrides (DYNAMIC_TOPIC_CONFIG, with the broker synonym
   DEFAULT_CONFIG after them) and defaults (DEFAULT_CONFIG); the broker's configs (broker.id,
   read-only); an unknown topic is UNKNOWN_TOPIC_OR_PART.
3. incremental_alter_configs: SET and APPEND, then SUBTRACT, then DELETE (back to the
   default), each seen by describe_configs; validate_only changes nothing; an unknown name
   (INVALID_CONFIG naming it), a bad value and APPEND to a non-list are INVALID_CONFIG.
4. alter_configs (legacy): replaces every override; an unknown name is INVALID_CONFIG.
5. create_partitions: 3 -> 5 (validate_only first changes nothing); a record produced to the
   new partition 4 right after is acknowledged and read back; shrinking is INVALID_PARTITIONS.
6. list_offsets on "log" (100 records, CreateTime t0 + 10 i): earliest, latest, by timestamp
   (between two records, exactly on one, after the last), max timestamp.
7. delete_records to 30: low watermark 30, earliest 30, a timestamp below it answers 30, a
   consumer from 0 with auto.offset.reset=earliest starts at 30, with auto.offset.reset=error
   gets offset out of range; past the high watermark is OFFSET_OUT_OF_RANGE.
8. describe_cluster: a cluster id (Metadata's), the brokers Metadata lists, the controller.
9. elect_leaders (preferred, unclean): ELECTION_NOT_NEEDED; an unknown partition
   UNKNOWN_TOPIC_OR_PART.
10. delete_topics: gone from list_topics and describe_configs; again UNKNOWN_TOPIC_OR_PART.
11. max.message.bytes=10000 (at creation): a 20,000-byte record is MSG_SIZE_TOO_LARGE, a
    5,000-byte one is accepted; after an incremental SET to 30000 the 20,000-byte one is too.
12. message.timestamp.type=LogAppendTime (at creation): a record sent with a CreateTime an
    hour old comes back (delivery report and consumer) with the broker's append time,
    timestamp type LOG_APPEND_TIME.

A step that raises is reported as a failed check and the next step runs. Prints {"client",
"version", "checks": [{name, ok, detail}], "timingsMs"} as the last line of stdout.
KAFSCALE_COMPAT_DEBUG=admin,protocol turns on librdkafka debug logs (stderr).
"""

import json
import os
import sys
import time
import traceback
import warnings

import confluent_kafka
from confluent_kafka import (
    Consumer,
    ElectionType,
    KafkaError,
    KafkaException,
    Producer,
    TopicCollection,
    TopicPartition,
)
from confluent_kafka.admin import (
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    ConfigSource,
    NewPartitions,
    NewTopic,
    OffsetSpec,
    ResourceType,
)

warnings.filterwarnings("ignore", message="alter_configs has been deprecated", category=DeprecationWarning)

OP_TIMEOUT_S = 30.0
RECORDS = 100
DELETE_TO = 30
STEP_MS = 10
HOUR_MS = 3_600_000
DEFAULT_RETENTION_MS = "604800000"
MAX_MESSAGE_BYTES = 10_000


class Checks:
    def __init__(self):
        self.list = []

    def add(self, name, ok, detail):
        self.list.append({"name": name, "ok": bool(ok), "detail": str(detail)})
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", file=sys.stderr, flush=True)
        return ok


def now_ms():
    return int(time.time() * 1000)


def settle(future):
    """(result, None) or (None, KafkaError) for an admin future."""
    try:
        return future.result(OP_TIMEOUT_S), None
    except KafkaException as e:
        return None, e.args[0]


def fmt_err(err):
    if err is None:
        return "no error"
    if isinstance(err, KafkaError):
        return f"{err.name()} ({err.code()}): {err.str()}"
    return repr(err)


def error_of(e):
    """A per-partition result (None, KafkaError or KafkaException) as a KafkaError or None."""
    return e.args[0] if isinstance(e, KafkaException) else e


def error_code(e):
    e = error_of(e)
    return None if e is None else e.code()


def expect_error(checks, name, future, code, mention=None):
    """A check that the future fails with `code` (and a message naming `mention`)."""
    result, err = settle(future)
    ok = err is not None and err.code() == code and (mention is None or mention in err.str())
    want = KafkaError(code).name() + (f" naming {mention!r}" if mention else "")
    checks.add(name, ok, f"expected {want}; got {fmt_err(err) if err else f'success {result!r}'}")


def source_name(source):
    return ConfigSource(source).name if isinstance(source, int) else source.name


def fmt_entry(e):
    if e is None:
        return "missing"
    syn = [f"{s.name}={s.value} {source_name(s.source)}" for s in (e.synonyms or {}).values()]
    return f"{e.value!r} {source_name(e.source)} read_only={e.is_read_only} synonyms {syn}"


def has(e, value, source):
    return e is not None and e.value == value and source_name(e.source) == source


def describe(admin, restype, name):
    """name -> ConfigEntry of one resource (raises KafkaException on an error)."""
    res = ConfigResource(restype, name)
    return admin.describe_configs([res], request_timeout=OP_TIMEOUT_S)[res].result(OP_TIMEOUT_S)


def alter_incremental(admin, topic, ops, validate_only=False):
    """ops: [(name, AlterConfigOpType, value)]; the resource's future."""
    entries = [ConfigEntry(n, v, incremental_operation=op) for n, op, v in ops]
    res = ConfigResource(ResourceType.TOPIC, topic, incremental_configs=entries)
    return admin.incremental_alter_configs([res], validate_only=validate_only)[res]


def produce(base, topic, records, conf=None):
    """records: [(partition, value bytes, timestamp or None)]; delivery reports (err, msg)."""
    reports = []
    p = Producer({**base, **(conf or {})})
    for partition, value, ts in records:
        kwargs = {"timestamp": ts} if ts is not None else {}
        p.produce(topic, value, partition=partition, on_delivery=lambda err, msg: reports.append((err, msg)), **kwargs)
    left = p.flush(OP_TIMEOUT_S)
    if left:
        raise RuntimeError(f"{left} records not delivered within {OP_TIMEOUT_S} s")
    return reports


def consume(base, topic, partition, offset, count, reset="earliest", timeout_s=15.0):
    """Up to `count` messages (or errors) from an assigned partition."""
    c = Consumer(
        {
            **base,
            "group.id": f"{topic}-reader",  # the binding insists; nothing reads its offsets
            "auto.offset.reset": reset,
        }
    )
    try:
        c.assign([TopicPartition(topic, partition, offset)])
        got = []
        end = time.monotonic() + timeout_s
        while len(got) < count and time.monotonic() < end:
            m = c.poll(0.2)
            if m is None:
                continue
            got.append(m)
            if m.error() is not None and reset == "error":
                break
        return got
    finally:
        c.close()


def topic_exists(admin, topic):
    """(exists, detail) from describe_topics, which never auto-creates (list_topics(topic) may)."""
    d, err = settle(admin.describe_topics(TopicCollection([topic]), request_timeout=OP_TIMEOUT_S)[topic])
    if err is not None:
        return err.code() != KafkaError.UNKNOWN_TOPIC_OR_PART, fmt_err(err)
    return True, f"{len(d.partitions)} partitions"


def metadata_partitions(admin, topic):
    md = admin.list_topics(topic, timeout=OP_TIMEOUT_S)
    t = md.topics.get(topic)
    if t is None or t.error is not None:
        return None, f"error {t.error if t else 'topic not listed'}"
    leaders = sorted({p.leader for p in t.partitions.values()})
    return len(t.partitions), f"{len(t.partitions)} partitions, leaders {leaders}, brokers {sorted(md.brokers)}"


class Scenario:
    def __init__(self, bootstrap, checks, timings):
        self.checks = checks
        self.timings = timings
        self.base = {"bootstrap.servers": bootstrap}
        debug = os.environ.get("KAFSCALE_COMPAT_DEBUG")
        if debug:
            self.base["debug"] = debug
        self.admin = AdminClient(self.base)
        run = format(now_ms(), "x")[-8:]
        self.cfg = f"compat-python-admin-cfg-{run}"
        self.log = f"compat-python-admin-log-{run}"
        self.big = f"compat-python-admin-maxbytes-{run}"
        self.lat = f"compat-python-admin-appendtime-{run}"
        self.t0 = now_ms() - HOUR_MS

    def run(self, name, fn):
        t = time.monotonic()
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - reported; the next step runs
            self.checks.add(f"{name}: step ran to the end", False, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")
        self.timings[name] = int((time.monotonic() - t) * 1000)

    # 1 -------------------------------------------------------------------------------------
    def create_topics(self):
        add, admin = self.checks.add, self.admin
        cfg_configs = {"retention.ms": "3600000", "cleanup.policy": "delete"}
        futures = admin.create_topics(
            [NewTopic(self.cfg, num_partitions=3, config=cfg_configs)], validate_only=True
        )
        _, err = settle(futures[self.cfg])
        exists, detail = topic_exists(admin, self.cfg)
        add(
            "create_topics validate_only: accepted, nothing created",
            err is None and not exists,
            f"{fmt_err(err)}; describe_topics afterwards: {detail}",
        )

        futures = admin.create_topics(
            [NewTopic(self.cfg, num_partitions=3, config=cfg_configs), NewTopic(self.log, num_partitions=1)]
        )
        errors = {t: settle(f)[1] for t, f in futures.items()}
        add(
            "create_topics: cfg (3 partitions, 2 configs) and log (1 partition)",
            all(e is None for e in errors.values()),
            {t: fmt_err(e) for t, e in errors.items()},
        )
        for topic, n in ((self.cfg, 3), (self.log, 1)):
            got, detail = metadata_partitions(admin, topic)
            add(f"list_topics (Metadata): {topic.split('-')[3]} has {n} partitions", got == n, detail)

        described = admin.describe_topics(TopicCollection([self.cfg]), request_timeout=OP_TIMEOUT_S)
        d, err = settle(described[self.cfg])
        parts = sorted(p.id for p in d.partitions) if d else None
        add(
            "describe_topics: cfg has partitions 0-2 and a topic id",
            err is None and parts == [0, 1, 2] and d.topic_id is not None,
            f"{fmt_err(err)}; partitions {parts}, topic id {d.topic_id if d else None}",
        )

        try:
            listed = admin.list_topics(timeout=OP_TIMEOUT_S).topics
            found, detail = [t for t in (self.cfg, self.log) if t in listed], f"{len(listed)} topics listed"
        except KafkaException as e:
            found, detail = [], f"error {fmt_err(e.args[0])}"
        add("list_topics() (all topics, Metadata v12) lists cfg and log", len(found) == 2, f"{detail}; found {found}")

        again = admin.create_topics([NewTopic(self.cfg, num_partitions=3)])[self.cfg]
        expect_error(self.checks, "create_topics of an existing topic: TOPIC_ALREADY_EXISTS", again, KafkaError.TOPIC_ALREADY_EXISTS)
        bad_name = f"{self.cfg}-x"
        f = admin.create_topics([NewTopic(bad_name, num_partitions=1, config={"no.such.config": "1"})])[bad_name]
        expect_error(self.checks, "create_topics with an unknown config name: INVALID_CONFIG", f, KafkaError.INVALID_CONFIG, "no.such.config")
        f = admin.create_topics([NewTopic(bad_name, num_partitions=1, config={"retention.ms": "soon"})])[bad_name]
        expect_error(self.checks, "create_topics with a bad config value: INVALID_CONFIG", f, KafkaError.INVALID_CONFIG)

    # 2 -------------------------------------------------------------------------------------
    def describe_configs(self):
        add = self.checks.add
        configs = describe(self.admin, ResourceType.TOPIC, self.cfg)
        r = configs.get("retention.ms")
        syn = [(s.name, s.value, source_name(s.source)) for s in (r.synonyms or {}).values()] if r else []
        add(
            "describe_configs topic: retention.ms override is DYNAMIC_TOPIC_CONFIG, log.retention.ms default after it",
            has(r, "3600000", "DYNAMIC_TOPIC_CONFIG")
            and not r.is_read_only
            and not r.is_default
            and syn
            == [
                ("retention.ms", "3600000", "DYNAMIC_TOPIC_CONFIG"),
                ("log.retention.ms", DEFAULT_RETENTION_MS, "DEFAULT_CONFIG"),
            ],
            fmt_entry(r),
        )
        m = configs.get("max.message.bytes")
        add(
            "describe_configs topic: max.message.bytes is the default 1048588 (DEFAULT_CONFIG)",
            has(m, "1048588", "DEFAULT_CONFIG") and m.is_default,
            f"{fmt_entry(m)} is_default={m.is_default if m else None}",
        )
        wanted = ["cleanup.policy", "compression.type", "message.timestamp.type", "segment.bytes", "retention.bytes"]
        missing = [n for n in wanted if n not in configs]
        add(
            "describe_configs topic: every topic config is listed",
            len(configs) >= 30 and not missing,
            f"{len(configs)} configs; missing of {wanted}: {missing}",
        )

        broker_id = sorted(self.admin.list_topics(self.cfg, timeout=OP_TIMEOUT_S).brokers)[0]
        bc = describe(self.admin, ResourceType.BROKER, str(broker_id))
        b = bc.get("broker.id")
        writable = [n for n, e in bc.items() if not e.is_read_only]
        add(
            f"describe_configs broker {broker_id}: broker.id = {broker_id}, every config read-only",
            b is not None and b.value == str(broker_id) and not writable and "log.retention.ms" in bc,
            f"{len(bc)} configs; broker.id {fmt_entry(b)}; log.retention.ms {fmt_entry(bc.get('log.retention.ms'))}; writable {writable[:5]}",
        )
        res = ConfigResource(ResourceType.TOPIC, f"{self.cfg}-missing")
        f = self.admin.describe_configs([res])[res]
        expect_error(self.checks, "describe_configs of a missing topic: UNKNOWN_TOPIC_OR_PART", f, KafkaError.UNKNOWN_TOPIC_OR_PART)

    # 3 -------------------------------------------------------------------------------------
    def incremental_alter(self):
        add, admin, topic = self.checks.add, self.admin, self.cfg
        SET, DELETE = AlterConfigOpType.SET, AlterConfigOpType.DELETE
        APPEND, SUBTRACT = AlterConfigOpType.APPEND, AlterConfigOpType.SUBTRACT

        _, err = settle(alter_incremental(admin, topic, [("retention.ms", SET, "7200000"), ("cleanup.policy", APPEND, "compact")]))
        c = describe(admin, ResourceType.TOPIC, topic)
        r, p = c.get("retention.ms"), c.get("cleanup.policy")
        add(
            "incremental SET retention.ms=7200000 + APPEND cleanup.policy compact",
            err is None and has(r, "7200000", "DYNAMIC_TOPIC_CONFIG") and has(p, "delete,compact", "DYNAMIC_TOPIC_CONFIG"),
            f"{fmt_err(err)}; retention.ms {fmt_entry(r)}; cleanup.policy {fmt_entry(p)}",
        )
        _, err = settle(alter_incremental(admin, topic, [("cleanup.policy", SUBTRACT, "delete")]))
        p = describe(admin, ResourceType.TOPIC, topic).get("cleanup.policy")
        add(
            "incremental SUBTRACT cleanup.policy delete leaves compact",
            err is None and has(p, "compact", "DYNAMIC_TOPIC_CONFIG"),
            f"{fmt_err(err)}; cleanup.policy {fmt_entry(p)}",
        )
        _, err = settle(alter_incremental(admin, topic, [("retention.ms", DELETE, None)]))
        r = describe(admin, ResourceType.TOPIC, topic).get("retention.ms")
        add(
            "incremental DELETE retention.ms: back to the default (DEFAULT_CONFIG)",
            err is None and has(r, DEFAULT_RETENTION_MS, "DEFAULT_CONFIG"),
            f"{fmt_err(err)}; retention.ms {fmt_entry(r)}",
        )
        _, err = settle(alter_incremental(admin, topic, [("retention.ms", SET, "1000")], validate_only=True))
        r = describe(admin, ResourceType.TOPIC, topic).get("retention.ms")
        add(
            "incremental validate_only SET: accepted, nothing changed",
            err is None and has(r, DEFAULT_RETENTION_MS, "DEFAULT_CONFIG"),
            f"{fmt_err(err)}; retention.ms {fmt_entry(r)}",
        )
        f = alter_incremental(admin, topic, [("no.such.config", SET, "1")])
        expect_error(self.checks, "incremental SET of an unknown config: INVALID_CONFIG naming it", f, KafkaError.INVALID_CONFIG, "no.such.config")
        f = alter_incremental(admin, topic, [("retention.ms", SET, "soon")])
        expect_error(self.checks, "incremental SET retention.ms=soon: INVALID_CONFIG", f, KafkaError.INVALID_CONFIG)
        f = alter_incremental(admin, topic, [("retention.ms", APPEND, "5")])
        expect_error(self.checks, "incremental APPEND to a non-list config: INVALID_CONFIG", f, KafkaError.INVALID_CONFIG)

    # 4 -------------------------------------------------------------------------------------
    def legacy_alter(self):
        add, admin, topic = self.checks.add, self.admin, self.cfg
        res = ConfigResource(ResourceType.TOPIC, topic, set_config={"retention.bytes": "1048576"})
        _, err = settle(admin.alter_configs([res])[res])
        c = describe(admin, ResourceType.TOPIC, topic)
        rb, p = c.get("retention.bytes"), c.get("cleanup.policy")
        add(
            "alter_configs (legacy) replaces every override: retention.bytes set, cleanup.policy back to default",
            err is None and has(rb, "1048576", "DYNAMIC_TOPIC_CONFIG") and has(p, "delete", "DEFAULT_CONFIG"),
            f"{fmt_err(err)}; retention.bytes {fmt_entry(rb)}; cleanup.policy {fmt_entry(p)}",
        )
        res = ConfigResource(ResourceType.TOPIC, topic, set_config={"no.such.config": "1"})
        expect_error(self.checks, "alter_configs (legacy) with an unknown config: INVALID_CONFIG", admin.alter_configs([res])[res], KafkaError.INVALID_CONFIG, "no.such.config")

    # 5 -------------------------------------------------------------------------------------
    def create_partitions(self):
        add, admin, topic = self.checks.add, self.admin, self.cfg
        _, err = settle(admin.create_partitions([NewPartitions(topic, 5)], validate_only=True)[topic])
        got, detail = metadata_partitions(admin, topic)
        add("create_partitions validate_only 3 -> 5: accepted, still 3", err is None and got == 3, f"{fmt_err(err)}; {detail}")

        _, err = settle(admin.create_partitions([NewPartitions(topic, 5)])[topic])
        got, detail = metadata_partitions(admin, topic)
        add("create_partitions 3 -> 5: Metadata shows 5", err is None and got == 5, f"{fmt_err(err)}; {detail}")

        value = f"on the new partition {now_ms()}".encode()
        reports = produce(self.base, topic, [(4, value, None)])
        err, msg = reports[0]
        add(
            "produce to new partition 4 right after create_partitions",
            err is None and msg.partition() == 4 and msg.offset() == 0,
            f"{fmt_err(err)}; partition {msg.partition()} offset {msg.offset()}",
        )
        got = consume(self.base, topic, 4, 0, 1)
        values = [(m.offset(), m.value()) for m in got if m.error() is None]
        add("read back partition 4", values == [(0, value)], f"read {values}, errors {[fmt_err(m.error()) for m in got if m.error()]}")

        f = admin.create_partitions([NewPartitions(topic, 3)])[topic]
        expect_error(self.checks, "create_partitions 5 -> 3: INVALID_PARTITIONS", f, KafkaError.INVALID_PARTITIONS)

    # 6 -------------------------------------------------------------------------------------
    def list_offsets(self):
        add = self.checks.add
        records = [(0, f"r{i}".encode(), self.ts(i)) for i in range(RECORDS)]
        reports = produce(self.base, self.log, records)
        offsets = [m.offset() for e, m in reports if e is None]
        add(
            f"produce {RECORDS} records with CreateTime t0 + {STEP_MS} i to log/0",
            offsets == list(range(RECORDS)),
            f"{len(offsets)} acknowledged; errors {[fmt_err(e) for e, _ in reports if e][:3]}",
        )
        self.expect_offsets("list_offsets earliest = 0", OffsetSpec.earliest(), 0)
        self.expect_offsets(f"list_offsets latest = {RECORDS}", OffsetSpec.latest(), RECORDS)
        self.expect_offsets("list_offsets for timestamp ts(41) + 5: 42", OffsetSpec.for_timestamp(self.ts(41) + 5), 42)
        self.expect_offsets("list_offsets for timestamp ts(42): 42", OffsetSpec.for_timestamp(self.ts(42)), 42)
        self.expect_offsets(
            "list_offsets for a timestamp after the last record: -1", OffsetSpec.for_timestamp(self.ts(RECORDS) + 1), -1
        )
        self.expect_offsets(
            f"list_offsets max timestamp: offset {RECORDS - 1} at ts({RECORDS - 1})",
            OffsetSpec.max_timestamp(),
            RECORDS - 1,
            self.ts(RECORDS - 1),
        )

    def ts(self, i):
        return self.t0 + STEP_MS * i

    def expect_offsets(self, name, spec, offset, timestamp=None):
        tp = TopicPartition(self.log, 0)
        info, err = settle(self.admin.list_offsets({tp: spec})[tp])
        ok = err is None and info.offset == offset and (timestamp is None or info.timestamp == timestamp)
        got = f"offset {info.offset} timestamp {info.timestamp} leader epoch {info.leader_epoch}" if info else ""
        self.checks.add(name, ok, f"{fmt_err(err)}; {got}")

    # 7 -------------------------------------------------------------------------------------
    def delete_records(self):
        add, admin = self.checks.add, self.admin
        tp = TopicPartition(self.log, 0, DELETE_TO)
        deleted, err = settle(admin.delete_records([tp])[tp])
        add(
            f"delete_records log/0 before {DELETE_TO}: low watermark {DELETE_TO}",
            err is None and deleted.low_watermark == DELETE_TO,
            f"{fmt_err(err)}; low watermark {deleted.low_watermark if deleted else None}",
        )
        self.expect_offsets(f"after delete_records: list_offsets earliest = {DELETE_TO}", OffsetSpec.earliest(), DELETE_TO)
        self.expect_offsets(f"after delete_records: list_offsets latest = {RECORDS}", OffsetSpec.latest(), RECORDS)
        self.expect_offsets(
            f"after delete_records: a timestamp below the log start answers {DELETE_TO}",
            OffsetSpec.for_timestamp(self.ts(0)),
            DELETE_TO,
        )

        got = consume(self.base, self.log, 0, 0, RECORDS - DELETE_TO)
        offsets = [m.offset() for m in got if m.error() is None]
        values_ok = all(m.value() == f"r{m.offset()}".encode() for m in got if m.error() is None)
        add(
            f"consume from 0 with auto.offset.reset=earliest starts at {DELETE_TO}",
            offsets == list(range(DELETE_TO, RECORDS)) and values_ok,
            f"{len(offsets)} records, first {offsets[:1]}, last {offsets[-1:]}, values match {values_ok}; "
            f"errors {[fmt_err(m.error()) for m in got if m.error()][:3]}",
        )
        got = consume(self.base, self.log, 0, 0, 1, reset="error")
        errs = [m.error() for m in got if m.error() is not None]
        add(
            "consume from 0 with auto.offset.reset=error: offset out of range",
            len(errs) == 1 and errs[0].code() == KafkaError._AUTO_OFFSET_RESET and "out of range" in errs[0].str().lower(),
            f"errors {[fmt_err(e) for e in errs]}; records {[m.offset() for m in got if m.error() is None]}",
        )
        tp = TopicPartition(self.log, 0, RECORDS + 10)
        expect_error(self.checks, "delete_records past the high watermark: OFFSET_OUT_OF_RANGE", admin.delete_records([tp])[tp], KafkaError.OFFSET_OUT_OF_RANGE)

    # 8 -------------------------------------------------------------------------------------
    def describe_cluster(self):
        d, err = settle(self.admin.describe_cluster(request_timeout=OP_TIMEOUT_S))
        md = self.admin.list_topics(self.log, timeout=OP_TIMEOUT_S)
        listed = sorted((b.id, b.host, b.port) for b in md.brokers.values())
        nodes = sorted((n.id, n.host, n.port) for n in d.nodes) if d else []
        controller = d.controller.id if d and d.controller else None
        self.checks.add(
            "describe_cluster: Metadata's cluster id and brokers, the controller among them",
            err is None
            and d.cluster_id
            and d.cluster_id == md.cluster_id
            and nodes == listed
            and controller in [n[0] for n in nodes],
            f"{fmt_err(err)}; cluster id {d.cluster_id if d else None} (Metadata {md.cluster_id}); nodes {nodes}; "
            f"Metadata brokers {listed}; controller {controller}",
        )

    # 9 -------------------------------------------------------------------------------------
    def elect_leaders(self):
        tps = [TopicPartition(self.cfg, 0), TopicPartition(self.cfg, 4), TopicPartition(self.log, 0)]
        for kind in (ElectionType.PREFERRED, ElectionType.UNCLEAN):
            result, err = settle(self.admin.elect_leaders(kind, tps))
            per = {f"{tp.topic.split('-')[3]}/{tp.partition}": e for tp, e in (result or {}).items()}
            self.checks.add(
                f"elect_leaders {kind.name}: ELECTION_NOT_NEEDED for every partition",
                err is None and len(per) == 3 and all(error_code(e) == KafkaError.ELECTION_NOT_NEEDED for e in per.values()),
                f"{fmt_err(err)}; { {k: fmt_err(error_of(v)) for k, v in per.items()} }",
            )
        result, err = settle(self.admin.elect_leaders(ElectionType.PREFERRED, [TopicPartition(self.cfg, 99)]))
        per = list((result or {}).values())
        self.checks.add(
            "elect_leaders for a missing partition: UNKNOWN_TOPIC_OR_PART",
            (err is None and len(per) == 1 and error_code(per[0]) == KafkaError.UNKNOWN_TOPIC_OR_PART)
            or (err is not None and err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART),
            f"{fmt_err(err)}; per partition {[fmt_err(error_of(e)) for e in per]}",
        )

    # 10 ------------------------------------------------------------------------------------
    def delete_topics(self):
        add, admin = self.checks.add, self.admin
        futures = admin.delete_topics([self.cfg, self.log], operation_timeout=OP_TIMEOUT_S)
        errors = {t: settle(f)[1] for t, f in futures.items()}
        left = {t: topic_exists(admin, t) for t in (self.cfg, self.log)}
        add(
            "delete_topics cfg and log: describe_topics finds neither",
            all(e is None for e in errors.values()) and not any(exists for exists, _ in left.values()),
            f"{ {t: fmt_err(e) for t, e in errors.items()} }; afterwards { {t: d for t, (_, d) in left.items()} }",
        )
        res = ConfigResource(ResourceType.TOPIC, self.cfg)
        expect_error(self.checks, "describe_configs of the deleted topic: UNKNOWN_TOPIC_OR_PART", admin.describe_configs([res])[res], KafkaError.UNKNOWN_TOPIC_OR_PART)
        f = admin.delete_topics([self.cfg])[self.cfg]
        expect_error(self.checks, "delete_topics again: UNKNOWN_TOPIC_OR_PART", f, KafkaError.UNKNOWN_TOPIC_OR_PART)

    # 11 ------------------------------------------------------------------------------------
    def max_message_bytes(self):
        add, admin, topic = self.checks.add, self.admin, self.big
        f = admin.create_topics([NewTopic(topic, num_partitions=1, config={"max.message.bytes": str(MAX_MESSAGE_BYTES)})])[topic]
        _, err = settle(f)
        m = describe(admin, ResourceType.TOPIC, topic).get("max.message.bytes")
        add(
            f"create a topic with max.message.bytes={MAX_MESSAGE_BYTES}",
            err is None and has(m, str(MAX_MESSAGE_BYTES), "DYNAMIC_TOPIC_CONFIG"),
            f"{fmt_err(err)}; max.message.bytes {fmt_entry(m)}",
        )
        (err, msg), = produce(self.base, topic, [(0, os.urandom(20_000), None)])
        add(
            "max.message.bytes: a 20,000-byte record is refused with MSG_SIZE_TOO_LARGE",
            err is not None and err.code() == KafkaError.MSG_SIZE_TOO_LARGE,
            f"{fmt_err(err)}; offset {msg.offset()}",
        )
        (err, msg), = produce(self.base, topic, [(0, os.urandom(5_000), None)])
        add("max.message.bytes: a 5,000-byte record is accepted", err is None, f"{fmt_err(err)}; offset {msg.offset()}")

        _, err = settle(alter_incremental(admin, topic, [("max.message.bytes", AlterConfigOpType.SET, "30000")]))
        # Kafka applies a config change once the broker has the metadata: allow it 5 s.
        attempts, end = [], time.monotonic() + 5
        while True:
            (perr, msg), = produce(self.base, topic, [(0, os.urandom(20_000), None)])
            attempts.append(fmt_err(perr))
            if perr is None or time.monotonic() > end:
                break
            time.sleep(0.25)
        add(
            "max.message.bytes raised to 30000 (incremental SET): the 20,000-byte record is accepted",
            err is None and perr is None,
            f"alter {fmt_err(err)}; {len(attempts)} attempts, last {attempts[-1]}",
        )

    # 12 ------------------------------------------------------------------------------------
    def log_append_time(self):
        add, admin, topic = self.checks.add, self.admin, self.lat
        f = admin.create_topics([NewTopic(topic, num_partitions=1, config={"message.timestamp.type": "LogAppendTime"})])[topic]
        _, err = settle(f)
        add("create a topic with message.timestamp.type=LogAppendTime", err is None, fmt_err(err))
        create_time = now_ms() - HOUR_MS
        before = now_ms()
        (err, msg), = produce(self.base, topic, [(0, b"appended", create_time)])
        after = now_ms()
        kind, ts = msg.timestamp()
        window = f"sent with CreateTime {create_time}; produced between {before} and {after}"
        add(
            "LogAppendTime: the delivery report carries the broker's append time",
            err is None and kind == confluent_kafka.TIMESTAMP_LOG_APPEND_TIME and before <= ts <= after,
            f"{fmt_err(err)}; timestamp type {kind} ({timestamp_type_name(kind)}), timestamp {ts}; {window}",
        )
        got = consume(self.base, topic, 0, 0, 1)
        read = [(m.timestamp(), m.value()) for m in got if m.error() is None]
        (kind, ts), value = read[0] if read else ((None, None), None)
        add(
            "LogAppendTime: the consumed record has the broker's append time (type LOG_APPEND_TIME)",
            value == b"appended" and kind == confluent_kafka.TIMESTAMP_LOG_APPEND_TIME and before <= ts <= after,
            f"read {len(read)}: timestamp type {kind} ({timestamp_type_name(kind)}), timestamp {ts}; {window}",
        )


def timestamp_type_name(kind):
    return {
        confluent_kafka.TIMESTAMP_CREATE_TIME: "CREATE_TIME",
        confluent_kafka.TIMESTAMP_LOG_APPEND_TIME: "LOG_APPEND_TIME",
        confluent_kafka.TIMESTAMP_NOT_AVAILABLE: "NOT_AVAILABLE",
    }.get(kind, "?")


def main():
    bootstrap = sys.argv[1]
    checks = Checks()
    timings = {}
    started = time.monotonic()
    s = Scenario(bootstrap, checks, timings)
    s.run("createTopics", s.create_topics)
    s.run("describeConfigs", s.describe_configs)
    s.run("incrementalAlterConfigs", s.incremental_alter)
    s.run("alterConfigs", s.legacy_alter)
    s.run("createPartitions", s.create_partitions)
    s.run("listOffsets", s.list_offsets)
    s.run("deleteRecords", s.delete_records)
    s.run("describeCluster", s.describe_cluster)
    s.run("electLeaders", s.elect_leaders)
    s.run("deleteTopics", s.delete_topics)
    s.run("maxMessageBytes", s.max_message_bytes)
    s.run("logAppendTime", s.log_append_time)
    timings["total"] = int((time.monotonic() - started) * 1000)
    result = {
        "client": "confluent-kafka-python",
        "version": f"confluent-kafka {confluent_kafka.__version__}, librdkafka {confluent_kafka.libversion()[0]}",
        "checks": checks.list,
        "timingsMs": timings,
    }
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
