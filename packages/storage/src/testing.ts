/** Test doubles for the packages that use a store, held to the storage contract by its conformance suite. */
export { createFaultyObjectStore, type FaultyObjectStore } from './faulty-object-store.ts'
export { createMemoryObjectStore, type MemoryObjectStore, type MemoryObjectStoreOptions } from './memory-object-store.ts'
