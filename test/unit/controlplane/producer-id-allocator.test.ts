import { describe, expect, it } from 'vitest';
import { ProducerIdAllocator } from '../../../controlplane/src/producers/producer-id-allocator.js';
import { keys } from '../../../lib/metadata/keys.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';

describe('ProducerIdAllocator', () => {
  it('hands out unique ids across replicas, writing etcd once per block', async () => {
    const store = new MemoryMetadataStore();
    const a = new ProducerIdAllocator(store, 10n);
    const b = new ProducerIdAllocator(store, 10n);
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).allocate()),
    );
    expect(new Set(ids).size).toBe(50);
    expect(ids.every((id) => id >= 0n)).toBe(true);
    // 25 ids each from blocks of 10: 3 blocks each, so the counter stands at 60.
    const next = await store.get(keys.producerIdNext());
    expect(Buffer.from(next?.value ?? []).toString()).toBe('60');
    // A replica started later continues after every block handed out.
    expect(await new ProducerIdAllocator(store, 10n).allocate()).toBe(60n);
  });
});
