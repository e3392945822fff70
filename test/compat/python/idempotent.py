"""confluent-kafka-python (librdkafka) idempotent-producer fault scenario; see
test/integration/cluster/idempotent-faults.test.ts.

Usage: idempotent.py BOOTSTRAP TOPIC RECORDS [PARTITIONS]
A Producer with enable.idempotence=true (everything else default: acks=all follows)
produces RECORDS records to TOPIC (which must exist, empty): record i goes to partition
i % PARTITIONS with a 100-byte value "p<partition> s<seq> ..." where seq = i // PARTITIONS.
Every delivery report is tallied (the acknowledged offset must equal seq). A consumer
(assign at OFFSET_BEGINNING, no group API used) then reads every partition to its end and
checks that each holds seq 0..n-1 exactly once, in order, at offsets 0..n-1.

While producing it prints "progress acked=A failed=F sent=S ms=T" on stderr every 100 ms.
Retries come from librdkafka's statistics: messages transmitted beyond the records (txmsgs - acked). The last
stdout line is the result JSON.
"""

import json
import os
import sys
import time

import confluent_kafka
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

VALUE_BYTES = 100
MAX_LISTED = 50


def value_of(p, seq):
    head = f"p{p} s{seq} ".encode()
    return head + b"." * (VALUE_BYTES - len(head))


def parse(v):
    if v is None or len(v) != VALUE_BYTES or v[:1] != b"p":
        return None
    f = v[:30].split()
    if len(f) < 2 or not f[1].startswith(b"s"):
        return None
    try:
        return int(f[0][1:]), int(f[1][1:])
    except ValueError:
        return None


def per_partition(n, partitions, p):
    return n // partitions + (1 if p < n % partitions else 0)


def main():
    bootstrap, topic, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    partitions = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    mismatches = []

    def mismatch(msg):
        if len(mismatches) < MAX_LISTED:
            mismatches.append(msg)
        elif len(mismatches) == MAX_LISTED:
            mismatches.append("... more mismatches omitted")

    ack_offset = [[-1] * per_partition(n, partitions, p) for p in range(partitions)]
    tally = {"acked": 0, "failed": 0, "ackOffsetMismatches": 0}
    failures = {}
    failed_samples = []
    gaps = {"last": None, "max": 0.0, "endedAt": 0.0}
    gaps_p = [{"last": None, "max": 0.0, "endedAt": 0.0} for _ in range(partitions)]
    stats = {"last": None, "errors": []}

    def on_stats(text):
        stats["last"] = json.loads(text)

    def on_error(err):
        key = str(err)
        if len(stats["errors"]) < 100:
            stats["errors"].append(key)

    def track_gap(g, now):
        if g["last"] is not None and now - g["last"] > g["max"]:
            g["max"], g["endedAt"] = now - g["last"], time.time()
        g["last"] = now

    def on_delivery(err, msg, p, seq):
        if err is not None:
            tally["failed"] += 1
            key = str(err)
            failures[key] = failures.get(key, 0) + 1
            if len(failed_samples) < 20:
                failed_samples.append(f"p{p} seq {seq}: {key}")
            return
        now = time.monotonic()
        track_gap(gaps, now)
        track_gap(gaps_p[p], now)
        ack_offset[p][seq] = msg.offset()
        if msg.offset() != seq:
            tally["ackOffsetMismatches"] += 1
            if tally["ackOffsetMismatches"] <= 10:
                mismatch(f"p{p} seq {seq}: acknowledged at offset {msg.offset()}, expected {seq}")
        tally["acked"] += 1

    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            # KAFSCALE_FAULT_IDEMPOTENCE=false: a control run, to see what the faults do
            # without idempotence (duplicates are expected then).
            "enable.idempotence": os.environ.get("KAFSCALE_FAULT_IDEMPOTENCE", "true") != "false",
            "statistics.interval.ms": 1000,
            "stats_cb": on_stats,
            "error_cb": on_error,
        }
    )
    started_at = time.time()
    t = time.monotonic()
    last_tick = 0.0

    def tick(suffix=""):
        print(
            f"progress acked={tally['acked']} failed={tally['failed']} sent={sent} "
            f"ms={int((time.monotonic() - t) * 1000)}{suffix}",
            file=sys.stderr,
            flush=True,
        )

    sent = 0
    for i in range(n):
        p, seq = i % partitions, i // partitions
        while True:
            try:
                producer.produce(
                    topic,
                    partition=p,
                    value=value_of(p, seq),
                    on_delivery=lambda err, msg, p=p, seq=seq: on_delivery(err, msg, p, seq),
                )
                break
            except BufferError:
                producer.poll(0.05)
        sent += 1
        producer.poll(0)
        now = time.monotonic()
        if now - last_tick >= 0.1:
            last_tick = now
            tick()
    while len(producer) > 0:
        producer.poll(0.1)
        tick()
    producer.flush(60)
    produce_done_at = time.time()
    produce_ms = int((time.monotonic() - t) * 1000)
    # One more statistics callback after the last delivery, for the final retry count.
    end = time.monotonic() + 1.5
    while time.monotonic() < end:
        producer.poll(0.1)
    tick(" done")
    last = stats["last"] or {}
    brokers = last.get("brokers", {})
    fields = ("txretries", "txerrs", "req_timeouts", "connects", "disconnects", "tx", "txbytes")
    # Messages transmitted more than once: librdkafka's txmsgs counts every transmission.
    retries = max(0, last.get("txmsgs", 0) - tally["acked"])
    client_metrics = {
        "txmsgs": last.get("txmsgs", 0),
        "retransmittedMessages": retries,
        "brokers": {
            name: {k: b.get(k, 0) for k in fields} for name, b in brokers.items() if b.get("connects")
        },
        "idempotence": last.get("eos", {}),
    }

    t = time.monotonic()
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": "idempotent-python-unused",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "enable.partition.eof": False,
        }
    )
    end_offset = []
    for p in range(partitions):
        # Retried: right after an edge is killed, metadata may name it for a few seconds more
        # (until its registration lease expires).
        for attempt in range(1, 61):
            try:
                _, hi = consumer.get_watermark_offsets(
                    TopicPartition(topic, p), timeout=10, cached=False
                )
                break
            except KafkaException as e:
                print(f"get_watermark_offsets p{p} attempt {attempt}: {e}", file=sys.stderr)
                if attempt == 60:
                    raise
                time.sleep(0.5)
        end_offset.append(hi)
    consumer.assign(
        [TopicPartition(topic, p, confluent_kafka.OFFSET_BEGINNING) for p in range(partitions)]
    )
    next_offset = [0] * partitions
    next_seq = [0] * partitions
    consumed = [0] * partitions
    duplicates = [0] * partitions
    out_of_order = [0] * partitions
    offset_breaks = [0] * partitions
    foreign = [0] * partitions
    seen = [bytearray(per_partition(n, partitions, p)) for p in range(partitions)]
    consume_errors = []
    last_progress = time.monotonic()
    while any(next_offset[p] < end_offset[p] for p in range(partitions)):
        if time.monotonic() - last_progress > 60:
            mismatch(
                f"consume stopped before the end: next offsets {next_offset}, end offsets {end_offset}"
            )
            break
        for msg in consumer.consume(num_messages=10000, timeout=1.0):
            if msg.error() is not None:
                # Reported, not a check: the data checks below tell whether it mattered.
                consume_errors.append(str(msg.error()))
                print(f"consume error: {msg.error()}", file=sys.stderr)
                continue
            last_progress = time.monotonic()
            p, o = msg.partition(), msg.offset()
            consumed[p] += 1
            if o != next_offset[p]:
                offset_breaks[p] += 1
                mismatch(f"p{p}: offset {o} read after {next_offset[p] - 1}")
            next_offset[p] = o + 1
            ps = parse(msg.value())
            if ps is None or ps[0] != p or not 0 <= ps[1] < len(seen[p]):
                foreign[p] += 1
                mismatch(f"p{p}@{o}: unexpected value {(msg.value() or b'')[:30]!r}")
                continue
            seq = ps[1]
            if seen[p][seq]:
                duplicates[p] += 1
                mismatch(f"p{p}@{o}: seq {seq} again (duplicate)")
            elif seq != next_seq[p]:
                out_of_order[p] += 1
                mismatch(f"p{p}@{o}: seq {seq} where {next_seq[p]} was next")
            seen[p][seq] = 1
            if seq >= next_seq[p]:
                next_seq[p] = seq + 1
    consumer.close()
    consume_ms = int((time.monotonic() - t) * 1000)

    partition_results = []
    for p in range(partitions):
        expected = len(seen[p])
        distinct = sum(seen[p])
        not_acked = sum(1 for o in ack_offset[p] if o < 0)
        missing_acked = sum(1 for s in range(expected) if ack_offset[p][s] >= 0 and not seen[p][s])
        if missing_acked:
            mismatch(f"p{p}: {missing_acked} acknowledged records not read back")
        partition_results.append(
            {
                "partition": p,
                "expected": expected,
                "acked": expected - not_acked,
                "endOffset": end_offset[p],
                "consumed": consumed[p],
                "distinct": distinct,
                "duplicates": duplicates[p],
                "missing": expected - distinct,
                "missingAcked": missing_acked,
                "outOfOrder": out_of_order[p],
                "offsetBreaks": offset_breaks[p],
                "foreign": foreign[p],
                "maxAckGapMs": int(gaps_p[p]["max"] * 1000),
                "maxAckGapEndedAtMs": int(gaps_p[p]["endedAt"] * 1000),
            }
        )
    result = {
        "client": "confluent-kafka-python",
        "version": f"confluent-kafka {confluent_kafka.__version__}, librdkafka {confluent_kafka.libversion()[0]}",
        "records": n,
        "partitions": partitions,
        "acked": tally["acked"],
        "failed": tally["failed"],
        "ackOffsetMismatches": tally["ackOffsetMismatches"],
        "failures": failures,
        "failedSamples": failed_samples,
        "retries": retries,
        "clientMetrics": client_metrics,
        "clientErrors": stats["errors"],
        "consumeErrors": consume_errors[:20],
        "startedAtMs": int(started_at * 1000),
        "produceDoneAtMs": int(produce_done_at * 1000),
        "produceMs": produce_ms,
        "consumeMs": consume_ms,
        "maxAckGapMs": int(gaps["max"] * 1000),
        "maxAckGapEndedAtMs": int(gaps["endedAt"] * 1000),
        "partitionResults": partition_results,
        "mismatches": mismatches,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        main()
    except KafkaException as e:
        print(f"KafkaException: {e}", file=sys.stderr)
        sys.exit(2)
