import { createBunFileLock } from '@lakehouse/lock-bun'
import { runJournalWorker } from './journal-worker.ts'

await runJournalWorker(createBunFileLock())
