// The in-memory store now lives in @lakehouse/storage/testing, checked by storage's conformance
// suite. Only route-docs.test.ts still imports this name; delete the file once it moves over.
export { createMemoryObjectStore as createMemoryStore } from '@lakehouse/storage/testing'
