/**
 * AlterClientQuotas on the controlplane, with Kafka's rules (ClientQuotaControlManager): an
 * entity without a user or a client id is INVALID_REQUEST, so is an entity named twice in one
 * request, a quota key named twice for one entity, a key Kafscale does not enforce and a
 * value that is not valid for its key (lib/quota/quota-keys.ts); the message names the key
 * and the value. All changes of one entity go to etcd in one transaction (a put per set
 * value, a delete per removed one), so they are applied together or not at all; an entity
 * with any error has none applied. `validate_only` checks and writes nothing. Any replica may
 * serve it: each value is its own key, so no change needs to read what another wrote.
 */
import { create } from '@bufbuild/protobuf';
import {
  AlterClientQuotasResponseSchema,
  ClientQuotaResultSchema,
  type AlterClientQuotasRequest,
  type AlterClientQuotasResponse,
  type ClientQuotaAlteration,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/quota_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import { encodeQuotaValue } from '../../../lib/metadata/quota-records.js';
import { entityPath, entityText, type ClientQuotaEntity } from '../../../lib/quota/quota-entity.js';
import { QUOTA_KEYS, quotaValueProblem } from '../../../lib/quota/quota-keys.js';
import { entityOfMessage } from '../../../lib/quota/quota-messages.js';
import type { MetadataStore, TxnOp } from '../../../lib/stores/metadata-store.js';
import { untilRevision } from '../metadata-view/await-view.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

/** The etcd operations of one entity's changes, or why they are refused. */
function entityOps(
  entity: ClientQuotaEntity,
  path: string,
  entry: ClientQuotaAlteration,
): { ops: TxnOp[] } | { problem: string } {
  const seen = new Set<string>();
  const ops: TxnOp[] = [];
  for (const op of entry.ops) {
    if (seen.has(op.key))
      return {
        problem: `Duplicate quota key ${op.key} not updating quota for this entity ${entityText(entity)}`,
      };
    seen.add(op.key);
    if (op.remove) {
      if (!QUOTA_KEYS.includes(op.key)) return { problem: `Invalid configuration key ${op.key}` };
      ops.push({ type: 'delete', key: keys.clientQuota(path, op.key) });
      continue;
    }
    const problem = quotaValueProblem(op.key, op.value);
    if (problem !== undefined) return { problem };
    ops.push({
      type: 'put',
      key: keys.clientQuota(path, op.key),
      value: encodeQuotaValue(op.value),
    });
  }
  return { ops };
}

export async function alterClientQuotas(
  store: MetadataStore,
  view: MetadataView,
  req: AlterClientQuotasRequest,
): Promise<AlterClientQuotasResponse> {
  const named = new Set<string>();
  let revision = 0;
  const results = [];
  for (const entry of req.entries) {
    const entity = entityOfMessage(entry.entity);
    const fail = (message: string) =>
      create(ClientQuotaResultSchema, {
        ...(entry.entity === undefined ? {} : { entity: entry.entity }),
        errorCode: KafkaError.INVALID_REQUEST,
        errorMessage: message,
      });
    if (entity.user === undefined && entity.clientId === undefined) {
      results.push(fail('Invalid empty client quota entity'));
      continue;
    }
    const path = entityPath(entity);
    if (named.has(path)) {
      results.push(fail(`Ignoring duplicate entity ${entityText(entity)}`));
      continue;
    }
    named.add(path);
    const planned = entityOps(entity, path, entry);
    if ('problem' in planned) {
      results.push(fail(planned.problem));
      continue;
    }
    if (!req.validateOnly && planned.ops.length > 0) {
      const result = await store.txn([], planned.ops);
      revision = Math.max(revision, result.revision);
    }
    results.push(
      create(ClientQuotaResultSchema, {
        ...(entry.entity === undefined ? {} : { entity: entry.entity }),
        errorCode: KafkaError.NONE,
      }),
    );
  }
  // What was written shows in this replica's next DescribeClientQuotas.
  if (revision > 0) await untilRevision(view, revision, 5000);
  return create(AlterClientQuotasResponseSchema, { results });
}
