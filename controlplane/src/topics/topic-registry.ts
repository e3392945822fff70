/**
 * Topics in etcd: one key per topic (`topics/<name>`), each created and deleted by its own
 * compare-and-swap transaction, so concurrent creates of one name have exactly one winner
 * and any replica may serve these calls (no leader is needed for correctness).
 *
 * Deleting a topic removes its key and its assignments (`assign/<topicId>/`) and records
 * `deleted-topics/<topicId>` in one transaction; the storage nodes' object sweep then
 * deletes the `part/<topicId>/` keys and the objects they reference, resuming after a
 * crash (storage-node/src/lifecycle/sweeper.ts). A topic created again under the same name
 * gets a new topic id, so none of the old keys or objects is ever read for it.
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { BadMetadataValueError } from '../../../lib/metadata/json-value.js';
import { keys } from '../../../lib/metadata/keys.js';
import { encodeDeletedTopic } from '../../../lib/metadata/lifecycle-records.js';
import {
  decodeTopicRecord,
  encodeTopicRecord,
  newTopicId,
  type TopicRecord,
} from '../../../lib/metadata/topic-records.js';
import type { KeyValue, MetadataStore } from '../../../lib/stores/metadata-store.js';
import {
  validateCreatableTopic,
  type CreatableTopic,
  type TopicLimits,
} from './creatable-topic.js';
import type { TopicFailure } from './topic-failure.js';

export interface TopicRegistryOptions extends Partial<TopicLimits> {
  readonly defaultPartitions: number;
  readonly now?: () => number;
  readonly newTopicId?: () => string;
}

export const DEFAULT_MAX_PARTITIONS = 100_000;

/** How often a delete re-reads and retries when its compare lost to another writer. */
const DELETE_ATTEMPTS = 10;

export type CreateOutcome =
  | {
      readonly ok: true;
      readonly name: string;
      /** Undefined when the request only validated. */
      readonly topicId: string | undefined;
      readonly partitions: number;
    }
  | ({ readonly ok: false; readonly name: string } & TopicFailure);

export type TopicRef = { readonly name: string } | { readonly topicId: string };

export type DeleteOutcome =
  | { readonly ok: true; readonly name: string; readonly topicId: string }
  | ({
      readonly ok: false;
      readonly name: string | undefined;
      readonly topicId: string | undefined;
    } & TopicFailure);

export class TopicRegistry {
  private readonly limits: TopicLimits;
  private readonly now: () => number;
  private readonly newTopicId: () => string;

  constructor(
    private readonly store: MetadataStore,
    options: TopicRegistryOptions,
  ) {
    this.limits = {
      defaultPartitions: options.defaultPartitions,
      maxPartitions: options.maxPartitions ?? DEFAULT_MAX_PARTITIONS,
    };
    this.now = options.now ?? Date.now;
    this.newTopicId = options.newTopicId ?? (() => newTopicId());
  }

  /** One outcome per topic, in request order; a name given twice fails every copy. */
  async create(
    topics: readonly CreatableTopic[],
    options: { readonly validateOnly?: boolean } = {},
  ): Promise<CreateOutcome[]> {
    const counts = countBy(topics.map((t) => t.name));
    return Promise.all(
      topics.map((t) =>
        (counts.get(t.name) ?? 0) > 1
          ? Promise.resolve<CreateOutcome>({
              ok: false,
              name: t.name,
              errorCode: KafkaError.INVALID_REQUEST,
              message: `topic ${JSON.stringify(t.name)} appears more than once in the request`,
            })
          : this.createOne(t, options.validateOnly ?? false),
      ),
    );
  }

  /** One outcome per reference, in request order; a topic named twice fails every copy. */
  async delete(refs: readonly TopicRef[]): Promise<DeleteOutcome[]> {
    const counts = countBy(refs.map(refText));
    return Promise.all(
      refs.map((ref) => {
        if ((counts.get(refText(ref)) ?? 0) > 1) {
          return Promise.resolve<DeleteOutcome>({
            ok: false,
            ...refParts(ref),
            errorCode: KafkaError.INVALID_REQUEST,
            message: `${describeRef(ref)} appears more than once in the request`,
          });
        }
        return 'name' in ref ? this.deleteByName(ref.name) : this.deleteById(ref.topicId);
      }),
    );
  }

  async deleteByName(name: string): Promise<DeleteOutcome> {
    for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      const kv = await this.store.get(keys.topic(name));
      if (kv === undefined) {
        return {
          ok: false,
          name,
          topicId: undefined,
          errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
          message: `topic ${JSON.stringify(name)} does not exist`,
        };
      }
      const record = decodeTopicRecord(kv.key, kv.value);
      if (await this.deleteRecord(kv, record)) {
        return { ok: true, name, topicId: record.topicId };
      }
    }
    return contended({ name });
  }

  async deleteById(topicId: string): Promise<DeleteOutcome> {
    for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      const found = (await this.listWithKeys()).find((t) => t.record.topicId === topicId);
      if (found === undefined) {
        return {
          ok: false,
          name: undefined,
          topicId,
          errorCode: KafkaError.UNKNOWN_TOPIC_ID,
          message: `no topic has id ${topicId}`,
        };
      }
      if (await this.deleteRecord(found.kv, found.record)) {
        return { ok: true, name: found.record.name, topicId };
      }
    }
    return contended({ topicId });
  }

  /** The most partitions one topic may have. */
  get maxPartitions(): number {
    return this.limits.maxPartitions;
  }

  /**
   * Changes one topic's record with compare-and-swap on its key, retrying when another
   * writer moved first: `change` gets the current record and returns the new one or a
   * failure (then nothing is written). `validateOnly` runs `change` and writes nothing.
   * Used by config changes and partition additions; the topic id never changes here.
   */
  async update(
    name: string,
    change: (current: TopicRecord) => TopicRecord | TopicFailure,
    options: { readonly validateOnly?: boolean } = {},
  ): Promise<
    { readonly ok: true; readonly record: TopicRecord } | ({ readonly ok: false } & TopicFailure)
  > {
    for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      const kv = await this.store.get(keys.topic(name));
      if (kv === undefined) {
        return {
          ok: false,
          errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
          message: `topic ${JSON.stringify(name)} does not exist`,
        };
      }
      const current = decodeTopicRecord(kv.key, kv.value);
      const next = change(current);
      if ('errorCode' in next) return { ok: false, ...next };
      if (next.topicId !== current.topicId || next.name !== current.name)
        throw new Error(`update of topic ${name} may not change its name or id`);
      if (options.validateOnly === true) return { ok: true, record: next };
      const result = await this.store.txn(
        [{ key: kv.key, target: 'modRevision', op: '=', value: kv.modRevision }],
        [{ type: 'put', key: kv.key, value: encodeTopicRecord(next) }],
      );
      if (result.succeeded) return { ok: true, record: next };
    }
    return {
      ok: false,
      errorCode: KafkaError.REQUEST_TIMED_OUT,
      message: `topic ${JSON.stringify(name)} kept changing; try again`,
    };
  }

  /** Every topic, in name order (records that do not decode are skipped). */
  async list(): Promise<TopicRecord[]> {
    return (await this.listWithKeys()).map((t) => t.record);
  }

  async get(name: string): Promise<TopicRecord | undefined> {
    const kv = await this.store.get(keys.topic(name));
    return kv === undefined ? undefined : decodeTopicRecord(kv.key, kv.value);
  }

  private async createOne(t: CreatableTopic, validateOnly: boolean): Promise<CreateOutcome> {
    const check = validateCreatableTopic(t, this.limits);
    if (!check.ok) {
      return { ok: false, name: t.name, errorCode: check.errorCode, message: check.message };
    }
    const { name, partitions, configs } = check.topic;
    const key = keys.topic(name);
    const exists = (): CreateOutcome => ({
      ok: false,
      name,
      errorCode: KafkaError.TOPIC_ALREADY_EXISTS,
      message: `topic ${JSON.stringify(name)} already exists`,
    });
    if (validateOnly) {
      return (await this.store.get(key)) === undefined
        ? { ok: true, name, topicId: undefined, partitions }
        : exists();
    }
    const record: TopicRecord = {
      topicId: this.newTopicId(),
      name,
      partitions,
      configs,
      createdAtMs: this.now(),
    };
    const result = await this.store.txn(
      [{ key, target: 'createRevision', op: '=', value: 0 }],
      [{ type: 'put', key, value: encodeTopicRecord(record) }],
    );
    return result.succeeded ? { ok: true, name, topicId: record.topicId, partitions } : exists();
  }

  /**
   * Deletes the topic key (if unchanged since read) and its assignments, and records the
   * topic for data deletion, in one txn.
   */
  private async deleteRecord(kv: KeyValue, record: TopicRecord): Promise<boolean> {
    const result = await this.store.txn(
      [{ key: kv.key, target: 'modRevision', op: '=', value: kv.modRevision }],
      [
        { type: 'delete', key: kv.key },
        { type: 'deletePrefix', prefix: keys.topicAssignmentsPrefix(record.topicId) },
        {
          type: 'put',
          key: keys.deletedTopic(record.topicId),
          value: encodeDeletedTopic({
            name: record.name,
            partitions: record.partitions,
            deletedAtMs: Date.now(),
          }),
        },
      ],
    );
    return result.succeeded;
  }

  private async listWithKeys(): Promise<{ kv: KeyValue; record: TopicRecord }[]> {
    const { kvs } = await this.store.list(keys.topicsPrefix());
    const out: { kv: KeyValue; record: TopicRecord }[] = [];
    for (const kv of kvs) {
      try {
        out.push({ kv, record: decodeTopicRecord(kv.key, kv.value) });
      } catch (e) {
        if (!(e instanceof BadMetadataValueError)) throw e;
      }
    }
    return out;
  }
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function refText(ref: TopicRef): string {
  return 'name' in ref ? `name:${ref.name}` : `id:${ref.topicId}`;
}

function refParts(ref: TopicRef): { name: string | undefined; topicId: string | undefined } {
  return 'name' in ref
    ? { name: ref.name, topicId: undefined }
    : { name: undefined, topicId: ref.topicId };
}

function describeRef(ref: TopicRef): string {
  return 'name' in ref ? `topic ${JSON.stringify(ref.name)}` : `topic id ${ref.topicId}`;
}

function contended(ref: TopicRef): DeleteOutcome {
  return {
    ok: false,
    ...refParts(ref),
    errorCode: KafkaError.REQUEST_TIMED_OUT,
    message: `${describeRef(ref)} kept changing while being deleted; try again`,
  };
}
