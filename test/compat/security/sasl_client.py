"""confluent-kafka-python (librdkafka) over a secured listener, for
test/compat/security/security.compat.test.ts.

Usage: sasl_client.py BOOTSTRAP PROTOCOL MECHANISM USER PASSWORD CA_FILE TOPIC COUNT
PROTOCOL is SASL_SSL, SASL_PLAINTEXT, SSL or PLAINTEXT; MECHANISM is PLAIN, SCRAM-SHA-256 or
SCRAM-SHA-512 (ignored without SASL). Produces COUNT records (acks=all) to partition 0 of
TOPIC, then reads them back in consumer group GROUP=<TOPIC>-group. Prints one JSON line:
{"produced": n, "consumed": n, "error": null or the first error}. Gives up after 20 s.
"""

import json
import os
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer

bootstrap, protocol, mechanism, user, password, ca, topic, count = sys.argv[1:9]
count = int(count)
conf = {
    "bootstrap.servers": bootstrap,
    "security.protocol": protocol,
    "socket.timeout.ms": 5000,
    "message.timeout.ms": 10000,
}
if protocol.startswith("SASL"):
    conf.update({"sasl.mechanism": mechanism, "sasl.username": user, "sasl.password": password})
if protocol.endswith("SSL"):
    conf.update({"ssl.ca.location": ca, "ssl.endpoint.identification.algorithm": "https"})

errors = []


def on_error(err):
    errors.append(str(err))


def result(produced, consumed):
    print(json.dumps({"produced": produced, "consumed": consumed,
                      "error": errors[0] if errors else None}), flush=True)
    # Leave at once: a refused client's librdkafka handles may still be tearing down, and
    # their destructors at interpreter exit can end the process with a non-zero status.
    os._exit(0)


producer = Producer({**conf, "acks": "all", "error_cb": on_error})
acked = []
for i in range(count):
    producer.produce(topic, value=f"v{i}".encode(), partition=0,
                     on_delivery=lambda err, msg: acked.append(err is None) if err is None else on_error(err))
deadline = time.time() + 20
while len(acked) < count and time.time() < deadline and not errors:
    producer.poll(0.2)
produced = sum(1 for a in acked if a)
if produced < count:
    result(produced, 0)

consumer = Consumer({**conf, "group.id": f"{topic}-group", "auto.offset.reset": "earliest",
                     "error_cb": on_error})
consumer.subscribe([topic])
consumed = 0
deadline = time.time() + 20
try:
    while consumed < count and time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            on_error(msg.error())
            continue
        consumed += 1
    consumer.commit(asynchronous=False)
except KafkaException as e:
    on_error(e)
consumer.close()
result(produced, consumed)
