export { createNodeFileLock } from './flock.ts'
