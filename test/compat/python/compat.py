"""confluent-kafka-python (librdkafka) compatibility scenario; see test/compat/README.md.

Usage: compat.py BOOTSTRAP [RECORDS]
Creates compat-python-a (4 partitions) and compat-python-b (1) with the AdminClient, produces
RECORDS records (one producer per codec, acks=all, idempotence off, explicit CreateTime) plus
one 1 MiB record, reads every partition back by explicit assignment (no consumer group) and
queries ListOffsets (earliest, latest, by timestamp). Prints the CompatResult JSON as the last
line of stdout. Set KAFSCALE_COMPAT_DEBUG=protocol,broker for librdkafka debug logs.
"""

import json
import os
import sys
import time

import confluent_kafka
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]
BIG = bytes(97 + (j % 26) for j in range(1 << 20))
MAX_MISMATCHES = 50


def placement(i):
    return ("b", 0) if i % 5 == 4 else ("a", i % 4)


def key_of(i):
    return None if i % 7 == 0 else f"key-{i}".encode()


def value_of(i):
    return None if i % 11 == 0 else f"value-{i}-{'x' * (i % 100)}".encode()


def headers_of(i):
    if i % 3 == 0:
        return []
    if i % 3 == 1:
        return [("h-index", str(i).encode())]
    return [("h-index", str(i).encode()), ("h-empty", b"")]


def main():
    bootstrap = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    topics = {"a": "compat-python-a", "b": "compat-python-b"}
    debug = os.environ.get("KAFSCALE_COMPAT_DEBUG")
    base = {"bootstrap.servers": bootstrap}
    if debug:
        base["debug"] = debug
    mismatches = []
    timings = {}

    def mismatch(msg):
        if len(mismatches) < MAX_MISMATCHES:
            mismatches.append(msg)
        elif len(mismatches) == MAX_MISMATCHES:
            mismatches.append("... more mismatches omitted")

    t = time.monotonic()
    admin = AdminClient(base)
    futures = admin.create_topics(
        [
            NewTopic(topics["a"], num_partitions=4),
            # b carries the 1 MiB record: above Kafka's default max.message.bytes (1048588).
            NewTopic(topics["b"], num_partitions=1, config={"max.message.bytes": "2097152"}),
        ]
    )
    for f in futures.values():
        f.result(timeout=30)
    timings["createTopics"] = int((time.monotonic() - t) * 1000)

    # (topic, partition) -> {offset: record number}; record number n is the big record.
    acked = {(topics[k], p): {} for k, p in [("a", 0), ("a", 1), ("a", 2), ("a", 3), ("b", 0)]}
    sent_order = {tp: [] for tp in acked}
    t0 = int(time.time() * 1000) - 10 * n - 60_000  # explicit CreateTime base, in the past

    def on_delivery(err, msg, i):
        if err is not None:
            mismatch(f"record {i}: delivery failed: {err}")
            return
        acked[(msg.topic(), msg.partition())][msg.offset()] = i

    t = time.monotonic()
    for c, codec in enumerate(CODECS):
        producer = Producer(
            {
                **base,
                "acks": "all",
                "enable.idempotence": False,
                "compression.type": codec,
                "linger.ms": 10,
                "message.max.bytes": 4_000_000,
            }
        )
        for i in range(c * n // len(CODECS), (c + 1) * n // len(CODECS)):
            topic, partition = placement(i)
            tp = (topics[topic], partition)
            sent_order[tp].append(i)
            while True:
                try:
                    producer.produce(
                        tp[0],
                        partition=partition,
                        key=key_of(i),
                        value=value_of(i),
                        headers=headers_of(i),
                        timestamp=t0 + i,
                        on_delivery=lambda err, msg, i=i: on_delivery(err, msg, i),
                    )
                    break
                except BufferError:
                    producer.poll(0.05)
            producer.poll(0)
        if c == len(CODECS) - 1:
            tp = (topics["b"], 0)
            sent_order[tp].append(n)
            producer_big = producer
            producer_big.produce(
                tp[0],
                partition=0,
                key=b"big",
                value=BIG,
                headers=[("h-big", b"1")],
                timestamp=t0 + n,
                on_delivery=lambda err, msg: on_delivery(err, msg, n),
            )
        left = producer.flush(120)
        if left:
            mismatch(f"codec {codec}: {left} records not delivered after 120 s")
    timings["produce"] = int((time.monotonic() - t) * 1000)

    def expected_record(i):
        if i == n:
            return b"big", BIG, [("h-big", b"1")], t0 + n
        return key_of(i), value_of(i), headers_of(i), t0 + i

    # Acknowledged offsets must be exactly 0..count-1 and follow the order of produce calls.
    expected = {}
    for tp, by_offset in acked.items():
        count = len(by_offset)
        if sorted(by_offset) != list(range(count)):
            mismatch(f"{tp[0]}/{tp[1]}: acked offsets are not 0..{count - 1}")
        order = [by_offset[o] for o in sorted(by_offset)]
        delivered = set(order)
        if order != [i for i in sent_order[tp] if i in delivered]:
            mismatch(f"{tp[0]}/{tp[1]}: acked offsets do not follow produce order")
        expected[tp] = by_offset

    t = time.monotonic()
    # The Python binding insists on group.id even for assign(); no group API is used: offsets
    # are explicit (OFFSET_BEGINNING) and nothing is committed.
    consumer = Consumer(
        {
            **base,
            "group.id": "compat-python-unused",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "enable.partition.eof": False,
        }
    )
    watermarks = {}
    by_ts = {}
    for tp in acked:
        lo, hi = consumer.get_watermark_offsets(TopicPartition(*tp), timeout=30, cached=False)
        watermarks[tp] = (lo, hi)
        count = len(expected[tp])
        if count >= 2:
            m = count // 2
            ts = expected_record(expected[tp][m - 1])[3] + 1
            (r,) = consumer.offsets_for_times([TopicPartition(tp[0], tp[1], ts)], timeout=30)
            by_ts[tp] = {"timestamp": ts, "offset": r.offset, "expected": m}
    timings["listOffsets"] = int((time.monotonic() - t) * 1000)

    t = time.monotonic()
    consumer.assign([TopicPartition(tp[0], tp[1], confluent_kafka.OFFSET_BEGINNING) for tp in acked])
    consumed = {tp: 0 for tp in acked}
    remaining = {tp for tp in acked if watermarks[tp][1] > 0}
    deadline = time.monotonic() + 300
    while remaining and time.monotonic() < deadline:
        for msg in consumer.consume(num_messages=5000, timeout=1.0):
            if msg.error() is not None:
                mismatch(f"consume error: {msg.error()}")
                continue
            tp = (msg.topic(), msg.partition())
            o = msg.offset()
            if o != consumed[tp]:
                mismatch(f"{tp[0]}/{tp[1]}: got offset {o}, expected {consumed[tp]}")
            consumed[tp] = o + 1
            i = expected[tp].get(o)
            if i is None:
                mismatch(f"{tp[0]}/{tp[1]}@{o}: not an acknowledged offset")
            else:
                key, value, headers, ts = expected_record(i)
                got_headers = msg.headers() or []
                if msg.key() != key:
                    mismatch(f"{tp[0]}/{tp[1]}@{o}: key {msg.key()!r} != {key!r}")
                if msg.value() != value:
                    v = msg.value()
                    mismatch(
                        f"{tp[0]}/{tp[1]}@{o}: value {None if v is None else v[:40]!r}"
                        f" ({-1 if v is None else len(v)}) != {None if value is None else value[:40]!r}"
                    )
                if got_headers != headers:
                    mismatch(f"{tp[0]}/{tp[1]}@{o}: headers {got_headers!r} != {headers!r}")
                if msg.timestamp() != (confluent_kafka.TIMESTAMP_CREATE_TIME, ts):
                    mismatch(f"{tp[0]}/{tp[1]}@{o}: timestamp {msg.timestamp()!r} != {ts}")
            if consumed[tp] >= watermarks[tp][1]:
                remaining.discard(tp)
    if remaining:
        mismatch(f"consume timed out; partitions not read to the end: {sorted(remaining)}")
    consumer.close()
    timings["consume"] = int((time.monotonic() - t) * 1000)

    result = {
        "client": "confluent-kafka-python",
        "version": f"confluent-kafka {confluent_kafka.__version__}, librdkafka {confluent_kafka.libversion()[0]}",
        "records": n + 1,
        "codecs": CODECS,
        "partitions": [
            {
                "topic": tp[0],
                "partition": tp[1],
                "acked": len(expected[tp]),
                "consumed": consumed[tp],
                "earliest": watermarks[tp][0],
                "latest": watermarks[tp][1],
                "byTimestamp": by_ts.get(tp),
            }
            for tp in acked
        ],
        "mismatches": mismatches,
        "timingsMs": timings,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        main()
    except KafkaException as e:
        print(f"KafkaException: {e}", file=sys.stderr)
        sys.exit(2)
