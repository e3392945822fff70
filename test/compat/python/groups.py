"""confluent-kafka-python (librdkafka) consumer-group scenario; see test/compat/README.md.

Usage: groups.py BOOTSTRAP [RECORDS]
1. Creates compat-python-groups (12 partitions) with the AdminClient and produces RECORDS
   records (value = decimal index, partition = index % 12, acks=all, idempotence off).
2. Group compat-python-g1 with librdkafka's default assignor (range,roundrobin): 3 consumer
   threads (auto commit off, earliest, session timeout 10 s) process in chunks of 50, commit
   each chunk synchronously and commit what they processed in on_revoke; a 4th joins, one
   leaves (close), and the partitions must be owned exactly once after each change. Every
   record is processed exactly once.
3. After 1,200 more records, a new consumer in the group reads exactly those.
4. AdminClient: list / describe the group, list its offsets, delete it while a member is
   active (NON_EMPTY_GROUP), alter offsets of the empty group, delete it.
Prints {"client", "version", "checks": [{name, ok, detail}], "timingsMs"} as the last line
of stdout. KAFSCALE_COMPAT_DEBUG=cgrp,protocol turns on librdkafka debug logs (stderr);
KAFSCALE_COMPAT_GROUP_PACE_MS (default 150) is each consumer's pause after a chunk.
"""

import collections
import json
import os
import sys
import threading
import time
import traceback

import confluent_kafka
from confluent_kafka import (
    Consumer,
    ConsumerGroupTopicPartitions,
    KafkaError,
    KafkaException,
    Producer,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient, NewTopic

PARTITIONS = 12
CHUNK = 50
EXTRA = 1200
STABLE_S = 2.0
REBALANCE_TIMEOUT_S = 60.0
CLOSE_TIMEOUT_S = 30.0
OP_TIMEOUT_S = 30.0


class Checks:
    def __init__(self):
        self.list = []

    def add(self, name, ok, detail):
        self.list.append({"name": name, "ok": bool(ok), "detail": str(detail)})
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", file=sys.stderr, flush=True)
        return ok


class Tracker:
    """Every record any consumer processed, and every commit error."""

    def __init__(self):
        self.lock = threading.Lock()
        self.records = []  # (member, partition, offset, value)
        self.commit_errors = []
        self.errors = []

    def add(self, member, partition, offset, value):
        with self.lock:
            self.records.append((member, partition, offset, value))

    def count(self):
        with self.lock:
            return len(self.records)

    def distinct_values(self):
        with self.lock:
            return len({r[3] for r in self.records})

    def snapshot(self):
        with self.lock:
            return list(self.records)


class Member(threading.Thread):
    """One consumer in the group, polled by its own thread (callbacks run on that thread)."""

    def __init__(self, name, conf, topic, tracker, pace):
        super().__init__(name=name, daemon=True)
        self.member = name
        self.topic = topic
        self.tracker = tracker
        self.pace = pace
        self.lock = threading.Lock()
        self.assigned = set()
        self.stopping = threading.Event()
        self.position = {}  # partition -> next offset after what this member processed
        self.committed = {}  # partition -> what this member committed last
        self.assigns = 0
        self.revokes = 0
        self.lost = 0
        self.close_ok = None
        self.close_detail = "not closed"
        self.consumer = Consumer({**conf, "client.id": f"compat-python-{name}"})

    def owned(self):
        with self.lock:
            return frozenset(self.assigned)

    def on_assign(self, _consumer, partitions):
        with self.lock:
            self.assigns += 1
            self.assigned |= {p.partition for p in partitions}

    def on_revoke(self, consumer, partitions):
        revoked = {p.partition for p in partitions}
        pending = [
            TopicPartition(self.topic, p, o)
            for p, o in self.position.items()
            if p in revoked and o > self.committed.get(p, -1)
        ]
        if pending:
            self.commit(consumer, pending, "on_revoke")
        for p in revoked:
            self.position.pop(p, None)
            self.committed.pop(p, None)
        with self.lock:
            self.revokes += 1
            self.assigned -= revoked

    def on_lost(self, _consumer, partitions):
        lost = {p.partition for p in partitions}
        for p in lost:
            self.position.pop(p, None)
            self.committed.pop(p, None)
        with self.lock:
            self.lost += len(lost)
            self.assigned -= lost

    def commit(self, consumer, offsets, where):
        try:
            res = consumer.commit(offsets=offsets, asynchronous=False)
            bad = [tp for tp in (res or []) if tp.error is not None]
            if bad:
                with self.tracker.lock:
                    self.tracker.commit_errors.append(
                        f"{self.member} {where}: {[(tp.partition, str(tp.error)) for tp in bad]}"
                    )
                return
            for tp in offsets:
                self.committed[tp.partition] = tp.offset
        except KafkaException as e:
            with self.tracker.lock:
                self.tracker.commit_errors.append(f"{self.member} {where}: {e.args[0]}")

    def run(self):
        c = self.consumer
        try:
            c.subscribe(
                [self.topic], on_assign=self.on_assign, on_revoke=self.on_revoke, on_lost=self.on_lost
            )
            while not self.stopping.is_set():
                msgs = c.consume(num_messages=CHUNK, timeout=0.2)
                done = {}
                for m in msgs:
                    if m.error() is not None:
                        with self.tracker.lock:
                            self.tracker.errors.append(f"{self.member}: {m.error()}")
                        continue
                    self.tracker.add(self.member, m.partition(), m.offset(), int(m.value()))
                    done[m.partition()] = m.offset() + 1
                if done:
                    self.position.update(done)
                    self.commit(c, [TopicPartition(self.topic, p, o) for p, o in done.items()], "batch")
                    time.sleep(self.pace)
        except Exception as e:  # noqa: BLE001 - reported as a check failure
            with self.tracker.lock:
                self.tracker.errors.append(f"{self.member}: {type(e).__name__}: {e}")
        finally:
            t = time.monotonic()
            try:
                c.close()
                self.close_ok = True
                self.close_detail = f"closed in {int((time.monotonic() - t) * 1000)} ms"
            except Exception as e:  # noqa: BLE001
                self.close_ok = False
                self.close_detail = f"close raised {type(e).__name__}: {e}"
            with self.lock:
                self.assigned = set()

    def stop(self):
        """Stops polling and closes the consumer (LeaveGroup); False when that hangs."""
        self.stopping.set()
        self.join(CLOSE_TIMEOUT_S)
        if self.is_alive():
            self.close_ok = False
            self.close_detail = f"close did not finish within {CLOSE_TIMEOUT_S} s"
        return bool(self.close_ok)


def ownership(members):
    """(snapshot, ok): ok when the members own 0..11 exactly once and each owns some."""
    snap = tuple((m.member, tuple(sorted(m.owned()))) for m in members)
    owners = collections.Counter(p for _, ps in snap for p in ps)
    ok = (
        all(m.is_alive() for m in members)
        and sorted(owners) == list(range(PARTITIONS))
        and all(c == 1 for c in owners.values())
        and all(ps for _, ps in snap)
    )
    return snap, ok


def fmt_snapshot(snap):
    return " ".join(f"{name}={list(ps)}" for name, ps in snap)


def wait_stable(members, tracker):
    """Waits until ownership() holds unchanged for STABLE_S; (ok, detail)."""
    start = time.monotonic()
    since = None
    last = None
    while time.monotonic() - start < REBALANCE_TIMEOUT_S:
        snap, ok = ownership(members)
        now = time.monotonic()
        if ok and snap == last and since is not None:
            if now - since >= STABLE_S:
                return True, (
                    f"{len(members)} members {fmt_snapshot(snap)}; stable after "
                    f"{now - start - STABLE_S:.1f} s; {tracker.count()} records processed so far"
                )
        elif ok:
            since = now
        else:
            since = None
        last = snap
        time.sleep(0.1)
    snap, _ = ownership(members)
    return False, f"not {len(members)} owners of {PARTITIONS} partitions within {REBALANCE_TIMEOUT_S} s; last {fmt_snapshot(snap)}"


def wait_until(cond, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


def produce(base, topic, start, count, ends):
    """Produces values start..start+count-1 to partition i % 12; updates ends[p]; errors."""
    errors = []
    p = Producer({**base, "acks": "all", "enable.idempotence": False, "linger.ms": 5})

    def on_delivery(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            ends[msg.partition()] = max(ends.get(msg.partition(), 0), msg.offset() + 1)

    for i in range(start, start + count):
        while True:
            try:
                p.produce(topic, partition=i % PARTITIONS, value=str(i).encode(), on_delivery=on_delivery)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
    left = p.flush(60)
    if left:
        errors.append(f"{left} records not delivered within 60 s")
    return errors


def record_checks(checks, records, lo, hi, what):
    """Every value in lo..hi-1 processed exactly once, nothing else, on its partition."""
    values = collections.Counter(r[3] for r in records)
    positions = collections.Counter((r[1], r[2]) for r in records)
    twice = sorted(v for v, c in values.items() if c > 1)
    twice_pos = sum(1 for c in positions.values() if c > 1)
    missing = [v for v in range(lo, hi) if v not in values]
    outside = sorted(v for v in values if not lo <= v < hi)
    misplaced = sum(1 for r in records if r[3] % PARTITIONS != r[1])
    per_member = collections.Counter(r[0] for r in records)
    checks.add(
        f"{what}: no record processed twice",
        not twice and not twice_pos,
        f"{len(records)} processed, {len(values)} distinct; {len(twice)} values twice "
        f"(first {twice[:10]}), {twice_pos} partition offsets twice; per member {dict(sorted(per_member.items()))}",
    )
    checks.add(
        f"{what}: no record skipped",
        not missing and not outside and not misplaced,
        f"expected {hi - lo} (values {lo}..{hi - 1}); missing {len(missing)} (first {missing[:10]}); "
        f"outside the range {len(outside)} (first {outside[:10]}); on a wrong partition {misplaced}",
    )


def group_offsets(admin, group, topic):
    """partition -> committed offset (only partitions with a committed offset >= 0)."""
    req = [ConsumerGroupTopicPartitions(group)]
    r = admin.list_consumer_group_offsets(req, request_timeout=10)[group].result(OP_TIMEOUT_S)
    return {tp.partition: tp.offset for tp in r.topic_partitions if tp.topic == topic and tp.offset >= 0}


def list_count(admin, group):
    r = admin.list_consumer_groups(request_timeout=10).result(OP_TIMEOUT_S)
    listed = [g for g in r.valid if g.group_id == group]
    state = [g.state.name if g.state is not None else None for g in listed]
    return len(listed), f"{len(r.valid)} groups listed, {len(listed)} named {group} (states {state}), errors {[str(e) for e in r.errors]}"


def scenario(bootstrap, n, checks, timings):
    topic = "compat-python-groups"
    group = "compat-python-g1"
    pace = float(os.environ.get("KAFSCALE_COMPAT_GROUP_PACE_MS", "150")) / 1000
    base = {"bootstrap.servers": bootstrap}
    debug = os.environ.get("KAFSCALE_COMPAT_DEBUG")
    if debug:
        base["debug"] = debug

    # 1. topic + records
    t = time.monotonic()
    admin = AdminClient(base)
    how = "created"
    try:
        admin.create_topics([NewTopic(topic, num_partitions=PARTITIONS)])[topic].result(OP_TIMEOUT_S)
    except KafkaException as e:
        if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
            raise
        how = "already existed"
    md = admin.list_topics(topic, timeout=OP_TIMEOUT_S)
    got = len(md.topics[topic].partitions) if topic in md.topics else 0
    checks.add("create topic with 12 partitions", got == PARTITIONS, f"{how}; metadata shows {got} partitions")
    timings["createTopic"] = int((time.monotonic() - t) * 1000)

    t = time.monotonic()
    ends = {}
    errors = produce(base, topic, 0, n, ends)
    acked = sum(ends.values())
    checks.add(f"produce {n} records", not errors and acked == n, f"{acked} acknowledged; errors {errors[:5]}")
    timings["produce"] = int((time.monotonic() - t) * 1000)

    # 2. three members, a fourth joins, one leaves
    conf = {
        **base,
        "group.id": group,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": 10000,
        "enable.partition.eof": False,
    }
    tracker = Tracker()
    t = time.monotonic()
    members = [Member(f"m{k}", conf, topic, tracker, pace) for k in (1, 2, 3)]
    for m in members:
        m.start()
    ok, detail = wait_stable(members, tracker)
    checks.add("3 members own the 12 partitions exactly once", ok, detail)
    timings["threeStable"] = int((time.monotonic() - t) * 1000)

    try:
        d = admin.describe_consumer_groups([group], request_timeout=10)[group].result(OP_TIMEOUT_S)
        described = sorted(tuple(sorted(tp.partition for tp in m.assignment.topic_partitions)) for m in d.members)
        tracked = sorted(tuple(sorted(m.owned())) for m in members)
        checks.add(
            "describe with 3 members: the assignments the members got",
            d.state == confluent_kafka.ConsumerGroupState.STABLE and described == tracked,
            f"state {d.state.name}, assignor {d.partition_assignor!r}, {len(d.members)} members, "
            f"described {described}, from callbacks {tracked}",
        )
    except KafkaException as e:
        checks.add("describe with 3 members: the assignments the members got", False, f"error {e.args[0]}")

    t = time.monotonic()
    m4 = Member("m4", conf, topic, tracker, pace)
    m4.start()
    members.append(m4)
    ok, detail = wait_stable(members, tracker)
    checks.add("a 4th member joins: 4 members own the 12 partitions exactly once", ok, detail)
    timings["fourStable"] = int((time.monotonic() - t) * 1000)

    t = time.monotonic()
    leaver = members.pop(1)
    closed = leaver.stop()
    checks.add(
        "one member leaves (close)",
        closed,
        f"{leaver.member}: {leaver.close_detail}; assigned {leaver.assigns}x, revoked {leaver.revokes}x",
    )
    ok, detail = wait_stable(members, tracker)
    checks.add("after the leave: 3 members own the 12 partitions exactly once", ok, detail)
    timings["leaveStable"] = int((time.monotonic() - t) * 1000)

    t = time.monotonic()
    all_in = wait_until(lambda: tracker.distinct_values() >= n, 120)
    time.sleep(1.0)  # anything processed again would show up now
    checks.add(
        f"all {n} records consumed",
        all_in,
        f"{tracker.distinct_values()} distinct of {n} after {time.monotonic() - t:.1f} s more",
    )
    closes = [(m.member, m.stop(), m.close_detail) for m in members]
    checks.add("close all members cleanly", all(c[1] for c in closes), f"{closes}")
    timings["consumeAndClose"] = int((time.monotonic() - t) * 1000)
    record_checks(checks, tracker.snapshot(), 0, n, "group of 3-4")
    lost = sum(m.lost for m in members + [leaver])
    with tracker.lock:
        commit_errors = list(tracker.commit_errors)
        errs = list(tracker.errors)
    checks.add(
        "commits and consumption without errors",
        not commit_errors and not errs and lost == 0,
        f"commit errors {len(commit_errors)} {commit_errors[:5]}; consume errors {errs[:5]}; partitions lost {lost}",
    )

    # 3. restart: only the new records
    t = time.monotonic()
    errors = produce(base, topic, n, EXTRA, ends)
    checks.add(f"produce {EXTRA} more records", not errors and sum(ends.values()) == n + EXTRA, f"errors {errors[:5]}")
    restart = Tracker()
    m5 = Member("m5", conf, topic, restart, pace / 5)
    m5.start()
    got_all = wait_until(lambda: restart.count() >= EXTRA, 60)
    time.sleep(2.0)
    checks.add(
        f"a new member reads the {EXTRA} new records (committed offsets kept)",
        got_all and restart.count() == EXTRA,
        f"{restart.count()} records after {time.monotonic() - t:.1f} s",
    )
    record_checks(checks, restart.snapshot(), n, n + EXTRA, "restart")
    timings["restart"] = int((time.monotonic() - t) * 1000)

    # 4. admin, one member still active
    t = time.monotonic()
    count, detail = list_count(admin, group)
    checks.add("list groups contains the group once", count == 1, detail)
    d = admin.describe_consumer_groups([group], request_timeout=10)[group].result(OP_TIMEOUT_S)
    parts = sorted(tp.partition for m in d.members for tp in m.assignment.topic_partitions)
    checks.add(
        "describe group: 1 member owning the 12 partitions, Stable",
        len(d.members) == 1 and parts == list(range(PARTITIONS)) and d.state == confluent_kafka.ConsumerGroupState.STABLE,
        f"state {d.state.name}, assignor {d.partition_assignor!r}, members "
        f"{[(m.client_id, m.host, len(m.assignment.topic_partitions)) for m in d.members]}",
    )
    offsets = group_offsets(admin, group, topic)
    checks.add(
        "list group offsets: every partition committed at its end",
        offsets == ends,
        f"committed {dict(sorted(offsets.items()))}, ends {dict(sorted(ends.items()))}",
    )
    try:
        admin.delete_consumer_groups([group], request_timeout=10)[group].result(OP_TIMEOUT_S)
        checks.add("delete a group with an active member fails with NON_EMPTY_GROUP", False, "the delete succeeded")
    except KafkaException as e:
        err = e.args[0]
        checks.add(
            "delete a group with an active member fails with NON_EMPTY_GROUP",
            err.code() == KafkaError.NON_EMPTY_GROUP,
            f"error {err.name()} ({err.code()}): {err.str()}",
        )
    closed = m5.stop()
    checks.add("the restarted member closes cleanly", closed, m5.close_detail)

    req = [ConsumerGroupTopicPartitions(group, [TopicPartition(topic, 0, 5)])]
    try:
        for f in admin.alter_consumer_group_offsets(req, request_timeout=10).values():
            f.result(OP_TIMEOUT_S)
        offsets = group_offsets(admin, group, topic)
        expect = {**ends, 0: 5}
        checks.add(
            "alter the empty group's offsets (partition 0 to 5)",
            offsets == expect,
            f"committed after {dict(sorted(offsets.items()))}",
        )
    except KafkaException as e:
        checks.add("alter the empty group's offsets (partition 0 to 5)", False, f"error {e.args[0]}")

    try:
        admin.delete_consumer_groups([group], request_timeout=10)[group].result(OP_TIMEOUT_S)
        checks.add("delete the empty group", True, "deleted")
    except KafkaException as e:
        checks.add("delete the empty group", False, f"error {e.args[0]}")
    count, detail = list_count(admin, group)
    offsets = group_offsets(admin, group, topic)
    checks.add(
        "after the delete: not listed, no committed offsets",
        count == 0 and not offsets,
        f"{detail}; committed {offsets}",
    )
    timings["admin"] = int((time.monotonic() - t) * 1000)


def main():
    bootstrap = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    checks = Checks()
    timings = {}
    started = time.monotonic()
    try:
        scenario(bootstrap, n, checks, timings)
    except Exception as e:  # noqa: BLE001 - the scenario stops; what ran is reported
        checks.add("scenario ran to the end", False, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")
    timings["total"] = int((time.monotonic() - started) * 1000)
    result = {
        "client": "confluent-kafka-python",
        "version": f"confluent-kafka {confluent_kafka.__version__}, librdkafka {confluent_kafka.libversion()[0]}",
        "checks": checks.list,
        "timingsMs": timings,
    }
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    # A consumer thread stuck in librdkafka must not keep the process alive.
    os._exit(0)


if __name__ == "__main__":
    main()
