import { createNodeFileLock } from '@lakehouse/lock-node'
import { runJournalWorker } from './journal-worker.ts'

await runJournalWorker(createNodeFileLock())
