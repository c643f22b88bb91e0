export { assertDisjoint, LOAD_MARKERS, locateMarkedBlock, type MarkedSpan, type MarkerPair } from './blocks.ts'
export { changeLogLine, type LoadBlockOptions, type LoadBlockUpdate, updateLoadBlock, updateLoadTracker } from './load-block.ts'
export { modelLabel, renderLoadBlock, verdict } from './render-load-block.ts'
export { SEED_REFERENCE, type SeedFigures } from './seed-reference.ts'
