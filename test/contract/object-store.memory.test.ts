import { MemoryObjectStore } from '../../lib/stores/memory/memory-object-store.js';
import { objectStoreContract } from './object-store.contract.js';

objectStoreContract('memory', () =>
  Promise.resolve({ store: new MemoryObjectStore(), cleanup: () => Promise.resolve() }),
);
