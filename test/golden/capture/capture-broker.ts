/**
 * A small, in-memory, single-node "broker" that answers just enough of the Kafka protocol
 * for real clients (kcat, kafkajs, the Java client) to produce, consume in a group and run
 * a few admin calls, while it writes every request frame it receives to
 * `test/golden/<client>/<NN>-<api-name>-v<version>[-<n>].hex`. It is a fixture generator,
 * not a broker: one partition leader (itself), no replication, no persistence.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  API_DEFINITIONS,
  apiDefinition,
  consumerProtocolAssignmentCodec,
  consumerProtocolSubscriptionCodec,
  defaultApiVersionsResponse,
  type ApiMessages,
  type ConsumerProtocolAssignmentTopicPartition,
  type FetchResponsePartitionData,
  type MetadataResponseTopic,
} from '../../../lib/kafka/gen/index.js';
import type { ApiDefinition } from '../../../lib/kafka/protocol/codec-runtime.js';
import { FrameReader } from '../../../lib/kafka/protocol/frame-reader.js';
import { Reader } from '../../../lib/kafka/protocol/reader.js';
import {
  decodeRequestFrame,
  encodeResponseFrame,
  readPreamble,
} from '../../../lib/kafka/protocol/request-frame.js';
import { Writer } from '../../../lib/kafka/protocol/writer.js';

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

const NODE_ID = 1;
const DEFAULT_PARTITIONS = 3;
const CLUSTER_ID = 'R29sZGVuQ2x1c3RlcklkAA';
const MAX_CAPTURED_FRAME = 64 * 1024;
const MAX_FETCH_WAIT_MS = 300;
const LEADER_EPOCH = 0;

const E = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  UNKNOWN_MEMBER_ID: 25,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  UNKNOWN_TOPIC_ID: 100,
} as const;

export interface CaptureBrokerOptions {
  /** Subdirectory of test/golden the frames go to, e.g. 'kcat'. */
  readonly client: string;
  /** Defaults to test/golden. */
  readonly goldenDir?: string;
  /** Frames kept per (api, version, client id); default 2. */
  readonly keepPerKey?: number;
  /** Remove earlier .hex files of this client first; default true. */
  readonly clean?: boolean;
  readonly log?: (line: string) => void;
}

export interface CaptureBroker {
  readonly host: string;
  readonly port: number;
  readonly bootstrap: string;
  /** Names of the .hex files written so far. */
  readonly written: readonly string[];
  close(): Promise<void>;
}

interface StoredBatch {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly bytes: Buffer;
}

interface PartitionLog {
  batches: StoredBatch[];
  nextOffset: bigint;
}

interface Topic {
  readonly name: string;
  readonly id: string;
  readonly partitions: PartitionLog[];
}

interface Group {
  readonly groupId: string;
  generation: number;
  memberId: string;
  clientId: string;
  protocolType: string;
  protocolName: string;
  memberMetadata: Uint8Array;
  assignment: Uint8Array;
  state: string;
  readonly offsets: Map<string, bigint>;
}

/** Kafka's UUID text form: 16 random bytes, base64url without padding. */
function randomTopicId(): string {
  return randomBytes(16).toString('base64url');
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export function fixtureBaseName(api: ApiDefinition, version: number): string {
  return `${String(api.apiKey).padStart(2, '0')}-${kebab(api.name)}-v${version}`;
}

/** The APIs and versions advertised in ApiVersions: unstable latest versions are left out. */
export function advertisedVersions(): { apiKey: number; minVersion: number; maxVersion: number }[] {
  const out: { apiKey: number; minVersion: number; maxVersion: number }[] = [];
  for (const api of API_DEFINITIONS) {
    const max = api.latestVersionUnstable ? api.maxVersion - 1 : api.maxVersion;
    if (max < api.minVersion) continue;
    out.push({ apiKey: api.apiKey, minVersion: api.minVersion, maxVersion: max });
  }
  return out;
}

function supported(api: ApiDefinition, version: number): boolean {
  const max = api.latestVersionUnstable ? api.maxVersion - 1 : api.maxVersion;
  return version >= api.minVersion && version <= max;
}

/** Walks the v2 record batches in a Produce partition's records, one view per batch. */
function splitBatches(records: Uint8Array): Buffer[] {
  const buf = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  const out: Buffer[] = [];
  let at = 0;
  while (at + 12 <= buf.length) {
    const size = 12 + buf.readInt32BE(at + 8);
    if (at + size > buf.length) break;
    out.push(buf.subarray(at, at + size));
    at += size;
  }
  return out;
}

export async function startCaptureBroker(options: CaptureBrokerOptions): Promise<CaptureBroker> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[capture] ${line}\n`));
  const outDir = join(options.goldenDir ?? GOLDEN_DIR, options.client);
  const keepPerKey = options.keepPerKey ?? 2;
  if (options.clean ?? true) rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const host = '127.0.0.1';
  let port = 0;
  const topics = new Map<string, Topic>();
  const topicsById = new Map<string, Topic>();
  const groups = new Map<string, Group>();
  const kept = new Map<string, Set<string>>();
  const perBase = new Map<string, number>();
  const written: string[] = [];
  const sockets = new Set<Socket>();
  let nextProducerId = 1000n;

  function ensureTopic(name: string, partitions = DEFAULT_PARTITIONS): Topic {
    let t = topics.get(name);
    if (t === undefined) {
      t = {
        name,
        id: randomTopicId(),
        partitions: Array.from({ length: partitions }, () => ({ batches: [], nextOffset: 0n })),
      };
      topics.set(name, t);
      topicsById.set(t.id, t);
    }
    return t;
  }

  function group(groupId: string): Group {
    let g = groups.get(groupId);
    if (g === undefined) {
      g = {
        groupId,
        generation: 0,
        memberId: '',
        clientId: '',
        protocolType: 'consumer',
        protocolName: '',
        memberMetadata: new Uint8Array(0),
        assignment: new Uint8Array(0),
        state: 'Empty',
        offsets: new Map(),
      };
      groups.set(groupId, g);
    }
    return g;
  }

  function capture(frame: Buffer, api: ApiDefinition, version: number, clientId: string): void {
    if (frame.length > MAX_CAPTURED_FRAME) return;
    const key = `${api.apiKey}/${version}/${clientId}`;
    const seen = kept.get(key) ?? new Set<string>();
    kept.set(key, seen);
    // Two frames that differ only in their correlation id are the same capture.
    const norm = Buffer.from(frame);
    norm.writeInt32BE(0, 4);
    const hex = norm.toString('hex');
    if (seen.has(hex) || seen.size >= keepPerKey) return;
    seen.add(hex);
    const base = fixtureBaseName(api, version);
    const n = (perBase.get(base) ?? 0) + 1;
    perBase.set(base, n);
    const file = `${base}${n === 1 ? '' : `-${n}`}.hex`;
    writeFileSync(join(outDir, file), frame.toString('hex') + '\n');
    written.push(file);
  }

  // ---------------------------------------------------------------- handlers

  function metadataTopic(t: Topic, version: number): MetadataResponseTopic {
    return {
      errorCode: E.NONE,
      name: t.name,
      topicId: t.id,
      isInternal: false,
      partitions: t.partitions.map((_, i) => ({
        errorCode: E.NONE,
        partitionIndex: i,
        leaderId: NODE_ID,
        leaderEpoch: version >= 7 ? LEADER_EPOCH : -1,
        replicaNodes: [NODE_ID],
        isrNodes: [NODE_ID],
        offlineReplicas: [],
      })),
      topicAuthorizedOperations: -2147483648,
    };
  }

  function handleMetadata(
    req: ApiMessages[3]['request'],
    version: number,
  ): ApiMessages[3]['response'] {
    let list: MetadataResponseTopic[];
    if (req.topics === null) {
      list = [...topics.values()].map((t) => metadataTopic(t, version));
    } else {
      list = req.topics.map((rt) => {
        if (rt.name !== null) return metadataTopic(ensureTopic(rt.name), version);
        const t = topicsById.get(rt.topicId);
        if (t !== undefined) return metadataTopic(t, version);
        return {
          errorCode: E.UNKNOWN_TOPIC_ID,
          name: null,
          topicId: rt.topicId,
          isInternal: false,
          partitions: [],
          topicAuthorizedOperations: -2147483648,
        };
      });
    }
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: NODE_ID, host, port, rack: null }],
      clusterId: CLUSTER_ID,
      controllerId: NODE_ID,
      topics: list,
      clusterAuthorizedOperations: -2147483648,
    };
  }

  function handleProduce(req: ApiMessages[0]['request']): ApiMessages[0]['response'] {
    return {
      throttleTimeMs: 0,
      nodeEndpoints: [],
      responses: req.topicData.map((td) => {
        const t = ensureTopic(td.name);
        return {
          name: td.name,
          partitionResponses: td.partitionData.map((pd) => {
            const log = t.partitions[pd.index];
            const base = {
              index: pd.index,
              logAppendTimeMs: -1n,
              logStartOffset: 0n,
              recordErrors: [],
              errorMessage: null,
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
            };
            if (log === undefined) {
              return { ...base, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1n };
            }
            const baseOffset = log.nextOffset;
            for (const view of splitBatches(pd.records ?? new Uint8Array(0))) {
              const bytes = Buffer.from(view); // a copy: the captured frame stays as received
              const lastOffsetDelta = bytes.length >= 27 ? bytes.readInt32BE(23) : 0;
              bytes.writeBigInt64BE(log.nextOffset, 0);
              const lastOffset = log.nextOffset + BigInt(lastOffsetDelta);
              log.batches.push({ baseOffset: log.nextOffset, lastOffset, bytes });
              log.nextOffset = lastOffset + 1n;
            }
            return { ...base, errorCode: E.NONE, baseOffset };
          }),
        };
      }),
    };
  }

  function hasData(req: ApiMessages[1]['request']): boolean {
    for (const ft of req.topics) {
      const t = ft.topic !== '' ? topics.get(ft.topic) : topicsById.get(ft.topicId);
      if (t === undefined) continue;
      for (const fp of ft.partitions) {
        const log = t.partitions[fp.partition];
        if (log !== undefined && log.nextOffset > fp.fetchOffset) return true;
      }
    }
    return false;
  }

  function handleFetch(
    req: ApiMessages[1]['request'],
    version: number,
  ): ApiMessages[1]['response'] {
    return {
      throttleTimeMs: 0,
      errorCode: E.NONE,
      sessionId: 0,
      nodeEndpoints: [],
      responses: req.topics.map((ft) => {
        const t = version >= 13 ? topicsById.get(ft.topicId) : topics.get(ft.topic);
        return {
          topic: ft.topic,
          topicId: ft.topicId,
          partitions: ft.partitions.map((fp): FetchResponsePartitionData => {
            const log = t?.partitions[fp.partition];
            const part: FetchResponsePartitionData = {
              partitionIndex: fp.partition,
              errorCode: E.NONE,
              highWatermark: log?.nextOffset ?? -1n,
              lastStableOffset: log?.nextOffset ?? -1n,
              logStartOffset: log === undefined ? -1n : 0n,
              divergingEpoch: { epoch: -1, endOffset: -1n },
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
              snapshotId: { endOffset: -1n, epoch: -1 },
              abortedTransactions: version >= 4 ? [] : null,
              preferredReadReplica: -1,
              records: new Uint8Array(0),
            };
            if (log === undefined) {
              part.errorCode = version >= 13 ? E.UNKNOWN_TOPIC_ID : E.UNKNOWN_TOPIC_OR_PARTITION;
              return part;
            }
            const out: Buffer[] = [];
            let size = 0;
            for (const b of log.batches) {
              if (b.lastOffset < fp.fetchOffset) continue;
              if (out.length > 0 && size + b.bytes.length > fp.partitionMaxBytes) break;
              out.push(b.bytes);
              size += b.bytes.length;
            }
            part.records = Buffer.concat(out);
            return part;
          }),
        };
      }),
    };
  }

  function handleListOffsets(
    req: ApiMessages[2]['request'],
    version: number,
  ): ApiMessages[2]['response'] {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((lt) => {
        const t = topics.get(lt.name);
        return {
          name: lt.name,
          partitions: lt.partitions.map((lp) => {
            const log = t?.partitions[lp.partitionIndex];
            if (log === undefined) {
              return {
                partitionIndex: lp.partitionIndex,
                errorCode: E.UNKNOWN_TOPIC_OR_PARTITION,
                oldStyleOffsets: [],
                timestamp: -1n,
                offset: -1n,
                leaderEpoch: -1,
              };
            }
            const offset = lp.timestamp === -2n ? 0n : log.nextOffset;
            return {
              partitionIndex: lp.partitionIndex,
              errorCode: E.NONE,
              oldStyleOffsets: version === 0 ? [offset] : [],
              timestamp: -1n,
              offset: version === 0 ? -1n : offset,
              leaderEpoch: version >= 4 ? LEADER_EPOCH : -1,
            };
          }),
        };
      }),
    };
  }

  function handleFindCoordinator(
    req: ApiMessages[10]['request'],
    version: number,
  ): ApiMessages[10]['response'] {
    if (version < 4) {
      return {
        throttleTimeMs: 0,
        errorCode: E.NONE,
        errorMessage: null,
        nodeId: NODE_ID,
        host,
        port,
        coordinators: [],
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: E.NONE,
      errorMessage: null,
      nodeId: 0,
      host: '',
      port: 0,
      coordinators: req.coordinatorKeys.map((key) => ({
        key,
        nodeId: NODE_ID,
        host,
        port,
        errorCode: E.NONE,
        errorMessage: null,
      })),
    };
  }

  /** All partitions of the topics a consumer-protocol subscription names. */
  function assignAll(metadata: Uint8Array): Uint8Array {
    const assigned: ConsumerProtocolAssignmentTopicPartition[] = [];
    try {
      const r = new Reader(Buffer.from(metadata.buffer, metadata.byteOffset, metadata.byteLength));
      const v = r.int16();
      const sub = consumerProtocolSubscriptionCodec.decode(r, Math.min(v, 3));
      for (const name of sub.topics) {
        const t = ensureTopic(name);
        assigned.push({ topic: name, partitions: t.partitions.map((_, i) => i) });
      }
    } catch {
      // Not a consumer subscription: an empty assignment.
    }
    const w = new Writer();
    w.int16(0);
    consumerProtocolAssignmentCodec.encode(w, { assignedPartitions: assigned, userData: null }, 0);
    return w.toBuffer();
  }

  function handleJoinGroup(
    req: ApiMessages[11]['request'],
    version: number,
    clientId: string,
  ): ApiMessages[11]['response'] {
    const g = group(req.groupId);
    const protocol = req.protocols[0];
    const base = {
      throttleTimeMs: 0,
      protocolType: version >= 7 ? req.protocolType : null,
      skipAssignment: false,
    };
    if (req.memberId === '' && version >= 4) {
      return {
        ...base,
        errorCode: E.MEMBER_ID_REQUIRED,
        generationId: -1,
        protocolName: version >= 7 ? null : '',
        leader: '',
        memberId: `${clientId}-${randomUUID()}`,
        members: [],
      };
    }
    const memberId = req.memberId !== '' ? req.memberId : `${clientId}-${randomUUID()}`;
    g.generation += 1;
    g.memberId = memberId;
    g.clientId = clientId;
    g.protocolType = req.protocolType;
    g.protocolName = protocol?.name ?? '';
    g.memberMetadata = Buffer.from(protocol?.metadata ?? new Uint8Array(0));
    g.state = 'CompletingRebalance';
    return {
      ...base,
      errorCode: E.NONE,
      generationId: g.generation,
      protocolName: g.protocolName,
      leader: memberId,
      memberId,
      members: [{ memberId, groupInstanceId: req.groupInstanceId, metadata: g.memberMetadata }],
    };
  }

  function handleSyncGroup(
    req: ApiMessages[14]['request'],
    version: number,
  ): ApiMessages[14]['response'] {
    const g = group(req.groupId);
    const mine = req.assignments.find((a) => a.memberId === req.memberId);
    g.assignment = mine !== undefined ? Buffer.from(mine.assignment) : assignAll(g.memberMetadata);
    g.state = 'Stable';
    return {
      throttleTimeMs: 0,
      errorCode: E.NONE,
      protocolType: version >= 5 ? g.protocolType : null,
      protocolName: version >= 5 ? g.protocolName : null,
      assignment: g.assignment,
    };
  }

  function handleOffsetCommit(req: ApiMessages[8]['request']): ApiMessages[8]['response'] {
    const g = group(req.groupId);
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          g.offsets.set(`${t.name}/${p.partitionIndex}`, p.committedOffset);
          return { partitionIndex: p.partitionIndex, errorCode: E.NONE };
        }),
      })),
    };
  }

  function committed(g: Group, topic: string, partition: number) {
    return {
      partitionIndex: partition,
      committedOffset: g.offsets.get(`${topic}/${partition}`) ?? -1n,
      committedLeaderEpoch: -1,
      metadata: '',
      errorCode: E.NONE,
    };
  }

  function fetchOffsets(
    g: Group,
    wanted: { name: string; partitionIndexes: number[] }[] | null,
  ): { name: string; partitions: ReturnType<typeof committed>[] }[] {
    if (wanted !== null) {
      return wanted.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => committed(g, t.name, p)),
      }));
    }
    const byTopic = new Map<string, number[]>();
    for (const key of g.offsets.keys()) {
      const at = key.lastIndexOf('/');
      const list = byTopic.get(key.slice(0, at)) ?? [];
      list.push(Number(key.slice(at + 1)));
      byTopic.set(key.slice(0, at), list);
    }
    return [...byTopic].map(([name, ps]) => ({
      name,
      partitions: ps.map((p) => committed(g, name, p)),
    }));
  }

  function handleOffsetFetch(
    req: ApiMessages[9]['request'],
    version: number,
  ): ApiMessages[9]['response'] {
    return {
      throttleTimeMs: 0,
      errorCode: E.NONE,
      topics: version >= 8 ? [] : fetchOffsets(group(req.groupId), req.topics),
      groups: req.groups.map((rg) => ({
        groupId: rg.groupId,
        errorCode: E.NONE,
        topics: fetchOffsets(group(rg.groupId), rg.topics),
      })),
    };
  }

  function handleLeaveGroup(req: ApiMessages[13]['request']): ApiMessages[13]['response'] {
    const g = group(req.groupId);
    g.state = 'Empty';
    g.memberId = '';
    return {
      throttleTimeMs: 0,
      errorCode: E.NONE,
      members: req.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        errorCode: E.NONE,
      })),
    };
  }

  function handleDescribeGroups(req: ApiMessages[15]['request']): ApiMessages[15]['response'] {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((id) => {
        const g = groups.get(id);
        const active = g !== undefined && g.memberId !== '';
        return {
          errorCode: E.NONE,
          groupId: id,
          groupState: g?.state ?? 'Dead',
          protocolType: g?.protocolType ?? '',
          protocolData: active ? g.protocolName : '',
          members: active
            ? [
                {
                  memberId: g.memberId,
                  groupInstanceId: null,
                  clientId: g.clientId,
                  clientHost: `/${host}`,
                  memberMetadata: g.memberMetadata,
                  memberAssignment: g.assignment,
                },
              ]
            : [],
          authorizedOperations: -2147483648,
        };
      }),
    };
  }

  function handleCreateTopics(req: ApiMessages[19]['request']): ApiMessages[19]['response'] {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((ct) => {
        const exists = topics.has(ct.name);
        const n = ct.numPartitions > 0 ? ct.numPartitions : DEFAULT_PARTITIONS;
        const t = req.validateOnly ? undefined : ensureTopic(ct.name, n);
        return {
          name: ct.name,
          topicId: t?.id ?? 'AAAAAAAAAAAAAAAAAAAAAA',
          errorCode: exists ? E.TOPIC_ALREADY_EXISTS : E.NONE,
          errorMessage: exists ? `Topic '${ct.name}' already exists.` : null,
          topicConfigErrorCode: E.NONE,
          numPartitions: t?.partitions.length ?? n,
          replicationFactor: 1,
          configs: [],
        };
      }),
    };
  }

  function handleDeleteTopics(req: ApiMessages[20]['request']): ApiMessages[20]['response'] {
    const named = [
      ...req.topicNames.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })),
      ...req.topics,
    ];
    return {
      throttleTimeMs: 0,
      responses: named.map((d) => {
        const t = d.name !== null ? topics.get(d.name) : topicsById.get(d.topicId);
        if (t !== undefined) {
          topics.delete(t.name);
          topicsById.delete(t.id);
        }
        return {
          name: t?.name ?? d.name,
          topicId: t?.id ?? d.topicId,
          errorCode: t === undefined ? E.UNKNOWN_TOPIC_OR_PARTITION : E.NONE,
          errorMessage: null,
        };
      }),
    };
  }

  function handleOffsetForLeaderEpoch(
    req: ApiMessages[23]['request'],
  ): ApiMessages[23]['response'] {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          const log = topics.get(t.topic)?.partitions[p.partition];
          return {
            errorCode: log === undefined ? E.UNKNOWN_TOPIC_OR_PARTITION : E.NONE,
            partition: p.partition,
            leaderEpoch: log === undefined ? -1 : LEADER_EPOCH,
            endOffset: log?.nextOffset ?? -1n,
          };
        }),
      })),
    };
  }

  /** The response body for a request, or undefined to close the connection. */
  async function answer(
    apiKey: number,
    version: number,
    body: unknown,
    clientId: string,
  ): Promise<unknown> {
    switch (apiKey) {
      case 0:
        return handleProduce(body as ApiMessages[0]['request']);
      case 1: {
        const req = body as ApiMessages[1]['request'];
        const wait = Math.min(req.maxWaitMs, MAX_FETCH_WAIT_MS);
        const until = Date.now() + wait;
        while (!hasData(req) && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return handleFetch(req, version);
      }
      case 2:
        return handleListOffsets(body as ApiMessages[2]['request'], version);
      case 3:
        return handleMetadata(body as ApiMessages[3]['request'], version);
      case 8:
        return handleOffsetCommit(body as ApiMessages[8]['request']);
      case 9:
        return handleOffsetFetch(body as ApiMessages[9]['request'], version);
      case 10:
        return handleFindCoordinator(body as ApiMessages[10]['request'], version);
      case 11:
        return handleJoinGroup(body as ApiMessages[11]['request'], version, clientId);
      case 12:
      case 13: {
        if (apiKey === 13) return handleLeaveGroup(body as ApiMessages[13]['request']);
        const req = body as ApiMessages[12]['request'];
        const g = groups.get(req.groupId);
        const known = g?.memberId === req.memberId;
        return { throttleTimeMs: 0, errorCode: known ? E.NONE : E.UNKNOWN_MEMBER_ID };
      }
      case 14:
        return handleSyncGroup(body as ApiMessages[14]['request'], version);
      case 15:
        return handleDescribeGroups(body as ApiMessages[15]['request']);
      case 16:
        return {
          throttleTimeMs: 0,
          errorCode: E.NONE,
          groups: [...groups.values()].map((g) => ({
            groupId: g.groupId,
            protocolType: g.protocolType,
            groupState: g.state,
            groupType: 'classic',
          })),
        } satisfies ApiMessages[16]['response'];
      case 19:
        return handleCreateTopics(body as ApiMessages[19]['request']);
      case 20:
        return handleDeleteTopics(body as ApiMessages[20]['request']);
      case 22: {
        const producerId = nextProducerId;
        nextProducerId += 1n;
        return {
          throttleTimeMs: 0,
          errorCode: E.NONE,
          producerId,
          producerEpoch: 0,
        } satisfies ApiMessages[22]['response'];
      }
      case 23:
        return handleOffsetForLeaderEpoch(body as ApiMessages[23]['request']);
      case 32: {
        const req = body as ApiMessages[32]['request'];
        return {
          throttleTimeMs: 0,
          results: req.resources.map((r) => ({
            errorCode: E.NONE,
            errorMessage: null,
            resourceType: r.resourceType,
            resourceName: r.resourceName,
            configs: [],
          })),
        } satisfies ApiMessages[32]['response'];
      }
      case 60:
        return {
          throttleTimeMs: 0,
          errorCode: E.NONE,
          errorMessage: null,
          endpointType: (body as ApiMessages[60]['request']).endpointType,
          clusterId: CLUSTER_ID,
          controllerId: NODE_ID,
          brokers: [{ brokerId: NODE_ID, host, port, rack: null }],
          clusterAuthorizedOperations: -2147483648,
        } satisfies ApiMessages[60]['response'];
      case 69:
        // Classic groups only: a 3.9 admin then falls back to DescribeGroups, as with Kafka.
        return {
          throttleTimeMs: 0,
          groups: (body as ApiMessages[69]['request']).groupIds.map((groupId) => ({
            errorCode: E.GROUP_ID_NOT_FOUND,
            errorMessage: `Group ${groupId} is not a consumer group.`,
            groupId,
            groupState: '',
            groupEpoch: -1,
            assignmentEpoch: -1,
            assignorName: '',
            members: [],
            authorizedOperations: -2147483648,
          })),
        } satisfies ApiMessages[69]['response'];
      case 71:
        // An empty subscription: the client is told to push no metrics.
        return {
          throttleTimeMs: 0,
          errorCode: E.NONE,
          clientInstanceId: randomTopicId(),
          subscriptionId: 1,
          acceptedCompressionTypes: [],
          pushIntervalMs: 300000,
          telemetryMaxBytes: 1024 * 1024,
          deltaTemporality: true,
          requestedMetrics: [],
        } satisfies ApiMessages[71]['response'];
      default:
        return undefined;
    }
  }

  function apiVersionsBody(errorCode: number): ApiMessages[18]['response'] {
    const res = defaultApiVersionsResponse();
    res.errorCode = errorCode;
    const all = advertisedVersions();
    res.apiKeys = errorCode === E.NONE ? all : all.filter((a) => a.apiKey === 18);
    return res;
  }

  // ---------------------------------------------------------------- connections

  function send(socket: Socket, chunks: Uint8Array[]): void {
    socket.cork();
    for (const c of chunks) socket.write(c);
    socket.uncork();
  }

  async function onFrame(socket: Socket, frame: Buffer): Promise<boolean> {
    const { apiKey, apiVersion, correlationId } = readPreamble(frame);
    const api = apiDefinition(apiKey);
    if (api === undefined) {
      log(`unknown api key ${apiKey}: closing`);
      return false;
    }
    if (!supported(api, apiVersion)) {
      if (apiKey === 18) {
        log(`ApiVersions v${apiVersion} is too new: UNSUPPORTED_VERSION at v0`);
        send(socket, encodeResponseFrame(api, 0, correlationId, apiVersionsBody(35)));
        return true;
      }
      log(`${api.name} v${apiVersion} not supported: closing`);
      return false;
    }
    const decoded = decodeRequestFrame(frame, api, apiVersion);
    const clientId = decoded.header.clientId ?? '';
    capture(frame, api, apiVersion, clientId);
    const body =
      apiKey === 18
        ? apiVersionsBody(E.NONE)
        : await answer(apiKey, apiVersion, decoded.body, clientId);
    if (body === undefined) {
      log(`${api.name} v${apiVersion} from ${clientId}: no answer, closing`);
      return false;
    }
    if (apiKey === 0 && (decoded.body as ApiMessages[0]['request']).acks === 0) return true;
    send(socket, encodeResponseFrame(api, apiVersion, correlationId, body));
    return true;
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const frames = new FrameReader();
    let chain = Promise.resolve(true);
    socket.on('data', (chunk: Buffer) => {
      let list: Buffer[];
      try {
        list = frames.push(chunk);
      } catch (err) {
        log(`bad frame: ${String(err)}`);
        socket.destroy();
        return;
      }
      for (const frame of list) {
        chain = chain.then(async (open) => {
          if (!open || socket.destroyed) return false;
          try {
            const keep = await onFrame(socket, frame);
            if (!keep) socket.destroy();
            return keep;
          } catch (err) {
            log(`error on ${readPreamble(frame).apiKey}: ${String(err)}`);
            socket.destroy();
            return false;
          }
        });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  port = address.port;
  log(`listening on ${host}:${port}, writing to ${outDir}`);

  return {
    host,
    port,
    bootstrap: `${host}:${port}`,
    written,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
