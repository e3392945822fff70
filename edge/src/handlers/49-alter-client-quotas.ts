/**
 * AlterClientQuotas (key 49, KIP-546): sets and removes client quotas.
 * `kafka-configs --alter --entity-type users|clients --entity-name <name>|--entity-default
 * --add-config 'producer_byte_rate=1048576' (--delete-config ...)` uses it.
 *
 * v0: entries of (entity, ops), each op a key with a value or a removal; `validate_only`.
 * v1: flexible.
 * The edge refuses entities Kafscale cannot name (client-quota-entities.ts); the controlplane
 * checks the keys and values with Kafka's rules and writes each entity's changes in one etcd
 * transaction (controlplane/src/quotas/alter-client-quotas.ts). Every refusal is
 * INVALID_REQUEST with a message naming what is wrong. Edges learn the new quotas from the
 * metadata stream and enforce them from then on. When the controlplane does not answer,
 * every entity it was asked about gets REQUEST_TIMED_OUT.
 *
 * Who may call it: any client of any listener, until ACLs exist (docs/security.md).
 */
import {
  alterClientQuotasApi,
  type AlterClientQuotasRequest,
  type AlterClientQuotasResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { entityMessage } from '../../../lib/quota/quota-messages.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import { entityFromKafka } from './client-quota-entities.js';
import { CONTROLPLANE_DOWN } from './config-resources.js';
import type { KafkaHandler } from './kafka-handler.js';

type ResultEntry = AlterClientQuotasResponse['entries'][number];

export function alterClientQuotasHandler(
  controlplane: ControlPlaneClient,
): KafkaHandler<AlterClientQuotasRequest, AlterClientQuotasResponse> {
  return {
    api: alterClientQuotasApi,
    minVersion: 0,
    maxVersion: 1,
    async handle(request, ctx) {
      const checked = request.entries.map((e) => ({ ...entityFromKafka(e.entity), entry: e }));
      const forwarded = checked.flatMap((c) =>
        'entity' in c
          ? [
              {
                entity: entityMessage(c.entity),
                ops: c.entry.ops.map((o) => ({ key: o.key, value: o.value, remove: o.remove })),
              },
            ]
          : [],
      );
      let answered: { errorCode: number; errorMessage: string | null }[] | undefined;
      if (forwarded.length > 0) {
        try {
          const res = await controlplane.alterClientQuotas(
            { entries: forwarded, validateOnly: request.validateOnly },
            { timeoutMs: 30_000 },
          );
          answered = res.results.map((r) => ({
            errorCode: r.errorCode,
            errorMessage: r.errorCode === KafkaError.NONE ? null : r.errorMessage,
          }));
        } catch (err) {
          ctx.log.warn({ err }, 'controlplane AlterClientQuotas failed');
        }
      }
      let next = 0;
      const entries: ResultEntry[] = checked.map((c) => {
        const outcome =
          'problem' in c
            ? { errorCode: KafkaError.INVALID_REQUEST, errorMessage: c.problem }
            : (answered?.[next++] ?? CONTROLPLANE_DOWN);
        const entity = c.entry.entity.map((p) => ({
          entityType: p.entityType,
          entityName: p.entityName,
        }));
        return { ...outcome, entity };
      });
      return { throttleTimeMs: 0, entries };
    },
  };
}
