/** Which of the keys under `/kafscale/` the metadata view follows, parsed from the key text. */
import { ROOT } from '../../../lib/metadata/keys.js';
import { parseQuotaKeyParts } from '../../../lib/metadata/quota-records.js';
import { parseScramKeyParts } from '../../../lib/metadata/scram-records.js';
import type { ClientQuotaEntity } from '../../../lib/quota/quota-entity.js';
import type { ScramMechanism } from '../../../lib/security/scram/scram-mechanism.js';

export type MetadataKey =
  | { readonly kind: 'topic'; readonly name: string }
  | { readonly kind: 'assignment'; readonly topicId: string; readonly partition: number }
  | { readonly kind: 'owner'; readonly topicId: string; readonly partition: number }
  | { readonly kind: 'storageNode'; readonly id: string }
  | { readonly kind: 'edge'; readonly id: string }
  | { readonly kind: 'controlplaneReplica'; readonly id: string }
  | { readonly kind: 'groupShardCount' }
  | { readonly kind: 'groupShard'; readonly shard: number }
  | { readonly kind: 'pin'; readonly topicId: string; readonly partition: number }
  | { readonly kind: 'drain'; readonly nodeId: string }
  | { readonly kind: 'scram'; readonly user: string; readonly mechanism: ScramMechanism }
  | { readonly kind: 'quota'; readonly entity: ClientQuotaEntity; readonly quotaKey: string };

function partitionIndex(text: string | undefined): number | undefined {
  if (text === undefined || !/^(0|[1-9]\d{0,9})$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 0x7fffffff ? n : undefined;
}

/** The key's meaning, or undefined for keys the view ignores (state, index, objects...). */
export function parseMetadataKey(key: string): MetadataKey | undefined {
  if (!key.startsWith(ROOT)) return undefined;
  const parts = key.slice(ROOT.length).split('/');
  const [head, a, b, c] = parts;
  switch (head) {
    case 'topics':
      return parts.length === 2 && a ? { kind: 'topic', name: a } : undefined;
    case 'nodes':
      if (parts.length !== 3 || !b) return undefined;
      if (a === 'storage') return { kind: 'storageNode', id: b };
      if (a === 'edge') return { kind: 'edge', id: b };
      if (a === 'controlplane') return { kind: 'controlplaneReplica', id: b };
      return undefined;
    case 'cluster':
      return parts.length === 2 && a === 'group-shards' ? { kind: 'groupShardCount' } : undefined;
    case 'group-shards': {
      const shard = partitionIndex(a);
      return parts.length === 3 && b === 'owner' && shard !== undefined
        ? { kind: 'groupShard', shard }
        : undefined;
    }
    case 'assign': {
      const partition = partitionIndex(b);
      return parts.length === 3 && a && partition !== undefined
        ? { kind: 'assignment', topicId: a, partition }
        : undefined;
    }
    case 'part': {
      const partition = partitionIndex(b);
      return parts.length === 4 && a && c === 'owner' && partition !== undefined
        ? { kind: 'owner', topicId: a, partition }
        : undefined;
    }
    case 'pins': {
      const partition = partitionIndex(b);
      return parts.length === 3 && a && partition !== undefined
        ? { kind: 'pin', topicId: a, partition }
        : undefined;
    }
    case 'drains':
      return parts.length === 2 && a ? { kind: 'drain', nodeId: a } : undefined;
    case 'scram': {
      const parsed = parts.length === 3 && a && b ? parseScramKeyParts(a, b) : undefined;
      return parsed === undefined ? undefined : { kind: 'scram', ...parsed };
    }
    case 'quotas': {
      const parsed = parseQuotaKeyParts(parts.slice(1));
      return parsed === undefined ? undefined : { kind: 'quota', ...parsed };
    }
    default:
      return undefined;
  }
}
