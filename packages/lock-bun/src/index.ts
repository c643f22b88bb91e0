export { createBunFileLock } from './flock.ts'
