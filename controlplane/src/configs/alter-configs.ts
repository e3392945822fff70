/**
 * AlterConfigs (`incremental` false) and IncrementalAlterConfigs (`incremental` true) as
 * Apache Kafka 3.9 answers them (ConfigAdminManager.preprocess on the broker, then
 * ConfigurationControlManager and ControllerConfigurationValidator on the controller): one
 * result per resource, in request order. Checked in Kafka's order:
 *
 * 1. A resource named twice: INVALID_REQUEST on every copy.
 * 2. A config named twice in one resource: INVALID_REQUEST.
 * 3. A null value (any, for AlterConfigs; for any operation but DELETE, incrementally):
 *    INVALID_REQUEST naming the configs.
 * 4. By resource type:
 *    - topic: "" is INVALID_REQUEST, an illegal name INVALID_TOPIC_EXCEPTION; an unknown
 *      operation INVALID_REQUEST; unknown config names INVALID_CONFIG naming every one
 *      (DELETE of an unknown name too, where Kafka quietly does nothing);
 *      APPEND or SUBTRACT on a config that is not a list INVALID_CONFIG; an invalid value
 *      INVALID_CONFIG with the validator's reason. Then the new overrides are computed from
 *      the current record and checked as a whole (values, min/max compaction lag) inside a
 *      compare-and-swap update of the topic key; a missing topic is
 *      UNKNOWN_TOPIC_OR_PARTITION. AlterConfigs replaces every override with the given set;
 *      the incremental operations are SET, DELETE (back to the default), APPEND and
 *      SUBTRACT (list items, starting from the default when there is no override).
 *    - broker ("" or an id): Kafscale has no dynamic broker configs, so a change is
 *      INVALID_REQUEST naming the configs, as Kafka refuses a config that cannot be updated
 *      dynamically; DELETE (and an empty change) succeeds with nothing to do. The id must
 *      be an integer; whether it is a live edge is checked by the edge.
 *    - broker logger: not in AlterConfigs (INVALID_REQUEST, as Kafka); incrementally,
 *      APPEND and SUBTRACT are INVALID_REQUEST and SET or DELETE INVALID_CONFIG: Kafscale
 *      has no runtime-adjustable loggers.
 *    - any other type: INVALID_REQUEST.
 *
 * validate_only runs every check and writes nothing. After writing, the call waits (up to
 * VIEW_WAIT_MS) until this replica's view shows the new overrides, so a DescribeConfigs
 * served here right after sees them; edges learn them from the metadata stream.
 */
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import {
  AlterConfigsResponseSchema,
  ConfigResourceResultSchema,
  type AlterableConfigResource,
  type AlterConfigsRequest,
  type AlterConfigsResponse,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { TopicRecord } from '../../../lib/metadata/topic-records.js';
import { MetadataStoreUnavailableError } from '../../../lib/stores/metadata-store.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import { untilView } from '../metadata-view/await-view.js';
import {
  TOPIC_CONFIGS,
  unknownTopicConfigs,
  validateTopicConfigs,
} from '../topics/topic-configs.js';
import { topicFailure, type TopicFailure } from '../topics/topic-failure.js';
import { validateTopicName } from '../topics/topic-name.js';
import type { TopicRegistry } from '../topics/topic-registry.js';
import { ALTER_OP_NAMES, AlterOp, listItems, ResourceType } from './config-types.js';
import { parseBrokerId } from './resource-names.js';

/** The longest an alteration waits for this replica's view to show what it wrote. */
export const VIEW_WAIT_MS = 2_000;

const NONE: TopicFailure = { errorCode: KafkaError.NONE, message: '' };

interface Outcome {
  readonly result: TopicFailure;
  /** The record written, when one was. */
  readonly written?: TopicRecord;
}

/** One config change, with Kafka's operation code (SET for AlterConfigs). */
export interface ConfigChange {
  readonly name: string;
  readonly op: number;
  readonly value: string | undefined;
}

/** A resource's changes, as plain values. */
interface ResourceChanges {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configs: readonly ConfigChange[];
}

function changesOf(r: AlterableConfigResource): ResourceChanges {
  return {
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    configs: r.configs.map((c) => ({ name: c.name, op: c.op, value: c.value })),
  };
}

const invalidRequest = (message: string) => topicFailure(KafkaError.INVALID_REQUEST, message);
const invalidConfig = (message: string) => topicFailure(KafkaError.INVALID_CONFIG, message);
const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');

export async function alterConfigs(
  registry: TopicRegistry,
  view: MetadataView,
  req: AlterConfigsRequest,
): Promise<AlterConfigsResponse> {
  const key = (r: AlterableConfigResource) => `${r.resourceType}\u0000${r.resourceName}`;
  const counts = new Map<string, number>();
  for (const r of req.resources) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  let outcomes: Outcome[];
  try {
    outcomes = await Promise.all(
      req.resources.map((r) =>
        (counts.get(key(r)) ?? 0) > 1
          ? Promise.resolve({ result: invalidRequest('Each resource must appear at most once.') })
          : alterResource(registry, changesOf(r), req.incremental, req.validateOnly),
      ),
    );
  } catch (e) {
    if (e instanceof MetadataStoreUnavailableError) {
      throw new ConnectError(
        `AlterConfigs: metadata store unavailable: ${e.message}`,
        Code.Unavailable,
      );
    }
    throw e;
  }
  await awaitView(
    view,
    outcomes.flatMap((o) => (o.written === undefined ? [] : [o.written])),
    VIEW_WAIT_MS,
  );
  return create(AlterConfigsResponseSchema, {
    results: req.resources.map((r, i) => {
      const result = outcomes[i]?.result ?? NONE;
      return create(ConfigResourceResultSchema, {
        errorCode: result.errorCode,
        errorMessage: result.message,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
      });
    }),
  });
}

async function alterResource(
  registry: TopicRegistry,
  r: ResourceChanges,
  incremental: boolean,
  validateOnly: boolean,
): Promise<Outcome> {
  const names = r.configs.map((c) => c.name);
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (repeated.length > 0) {
    return {
      result: invalidRequest(`Error due to duplicate config keys: ${quoted(repeated)}`),
    };
  }
  const nulls = r.configs
    .filter((c) => c.value === undefined && (!incremental || c.op !== AlterOp.DELETE))
    .map((c) => c.name);
  if (nulls.length > 0) {
    return { result: invalidRequest(`Null value not supported for : ${nulls.join(', ')}`) };
  }
  switch (r.resourceType) {
    case ResourceType.TOPIC:
      return alterTopic(registry, r, incremental, validateOnly);
    case ResourceType.BROKER:
      return { result: alterBroker(r, incremental) };
    case ResourceType.BROKER_LOGGER:
      return { result: alterBrokerLogger(r, incremental) };
    default:
      return {
        result: invalidRequest(
          `Unknown resource type ${r.resourceType} (Kafscale alters topics (2), brokers (4) ` +
            'and broker loggers (8))',
        ),
      };
  }
}

async function alterTopic(
  registry: TopicRegistry,
  r: ResourceChanges,
  incremental: boolean,
  validateOnly: boolean,
): Promise<Outcome> {
  const name = r.resourceName;
  if (name === '') return { result: invalidRequest('Default topic resources are not allowed.') };
  const badName = validateTopicName(name);
  if (badName !== undefined) return { result: badName };
  const refused = checkTopicChanges(r.configs, incremental);
  if (refused !== undefined) return { result: refused };
  const outcome = await registry.update(
    name,
    (current) => {
      const configs = incremental
        ? applyIncremental(current.configs, r.configs)
        : Object.fromEntries(r.configs.map((c) => [c.name, c.value ?? '']));
      return validateTopicConfigs(configs) ?? { ...current, configs };
    },
    { validateOnly },
  );
  if (!outcome.ok) return { result: outcome };
  return validateOnly ? { result: NONE } : { result: NONE, written: outcome.record };
}

/** What can be refused before the topic is read: operations, names, list-ness, values. */
function checkTopicChanges(
  configs: readonly ConfigChange[],
  incremental: boolean,
): TopicFailure | undefined {
  if (incremental) {
    const badOp = configs.find((c) => ALTER_OP_NAMES[c.op] === undefined);
    if (badOp !== undefined) {
      return invalidRequest(
        `Unknown alter config operation ${badOp.op} for config ${JSON.stringify(badOp.name)}`,
      );
    }
  }
  const unknown = unknownTopicConfigs(configs.map((c) => c.name));
  if (unknown.length > 0) {
    return invalidConfig(
      `Unknown topic config name${unknown.length > 1 ? 's' : ''}: ${quoted(unknown)}`,
    );
  }
  for (const c of configs) {
    const def = TOPIC_CONFIGS.get(c.name);
    if (def === undefined) continue;
    const op = incremental ? c.op : AlterOp.SET;
    if ((op === AlterOp.APPEND || op === AlterOp.SUBTRACT) && def.type !== 'LIST') {
      return invalidConfig(
        `Can't ${ALTER_OP_NAMES[op] ?? ''} to key ${c.name} because its type is not LIST.`,
      );
    }
    if (op === AlterOp.SET && c.value !== undefined) {
      const failure = validateTopicConfigs({ [c.name]: c.value });
      if (failure !== undefined) return failure;
    }
  }
  return undefined;
}

/**
 * The overrides after Kafka's incremental operations: SET replaces, DELETE removes,
 * APPEND adds the items not there yet, SUBTRACT removes items; a list without an override
 * starts from its default. Each config is named once (checked before).
 */
export function applyIncremental(
  current: Readonly<Record<string, string>>,
  changes: readonly ConfigChange[],
): Record<string, string> {
  const next = new Map(Object.entries(current));
  for (const c of changes) {
    switch (c.op) {
      case AlterOp.SET:
        next.set(c.name, c.value ?? '');
        break;
      case AlterOp.DELETE:
        next.delete(c.name);
        break;
      case AlterOp.APPEND:
      case AlterOp.SUBTRACT: {
        const items = listItems(current[c.name] ?? TOPIC_CONFIGS.get(c.name)?.defaultValue ?? '');
        const given = listItems(c.value ?? '').filter((v) => v !== '');
        const result =
          c.op === AlterOp.APPEND
            ? [...items, ...given.filter((v, i) => !items.includes(v) && given.indexOf(v) === i)]
            : items.filter((v) => !given.includes(v));
        next.set(c.name, result.join(','));
        break;
      }
    }
  }
  return Object.fromEntries(next);
}

function alterBroker(r: ResourceChanges, incremental: boolean): TopicFailure {
  if (r.resourceName !== '') {
    const id = parseBrokerId(r.resourceName, 'Node id');
    if (typeof id !== 'number') return id;
  }
  if (incremental) {
    const badOp = r.configs.find((c) => ALTER_OP_NAMES[c.op] === undefined);
    if (badOp !== undefined) return invalidRequest(`Unknown operations type ${badOp.op}`);
  }
  const changed = r.configs
    .filter((c) => !incremental || c.op !== AlterOp.DELETE)
    .map((c) => c.name);
  if (changed.length === 0) return NONE;
  return invalidRequest(
    `Cannot update these configs dynamically: ${quoted(changed)}. Kafscale has no dynamic ` +
      'broker configs: broker settings come from KAFSCALE_* variables at start-up, and ' +
      'topic defaults can be overridden per topic.',
  );
}

function alterBrokerLogger(r: ResourceChanges, incremental: boolean): TopicFailure {
  if (!incremental) {
    return invalidRequest(
      `Unknown resource type ${ResourceType.BROKER_LOGGER}: AlterConfigs does not change ` +
        'broker loggers (IncrementalAlterConfigs does)',
    );
  }
  const id = parseBrokerId(r.resourceName, 'Node id');
  if (typeof id !== 'number') return id;
  for (const c of r.configs) {
    switch (c.op) {
      case AlterOp.SET:
      case AlterOp.DELETE:
        return invalidConfig(
          `Logger ${c.name} does not exist! Kafscale has no loggers whose level can be ` +
            'changed at run time (its log level is KAFSCALE_LOG_LEVEL).',
        );
      case AlterOp.APPEND:
      case AlterOp.SUBTRACT:
        return invalidRequest(
          `${ALTER_OP_NAMES[c.op] ?? ''} operation is not allowed for the BROKER_LOGGER resource`,
        );
      default:
        return invalidRequest(
          `Unknown operation type ${c.op} is not allowed for the BROKER_LOGGER resource`,
        );
    }
  }
  return NONE;
}

/**
 * Resolves once the view shows every record's overrides (or the topic is gone or
 * replaced), or after `timeoutMs`.
 */
function awaitView(
  view: MetadataView,
  records: readonly TopicRecord[],
  timeoutMs: number,
): Promise<boolean> {
  return untilView(
    view,
    () =>
      records.every((r) => {
        const entry = view.topicByName(r.name);
        return entry?.record.topicId !== r.topicId || sameConfigs(entry.record.configs, r.configs);
      }),
    timeoutMs,
  );
}

function sameConfigs(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
