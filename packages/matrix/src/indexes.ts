import type { VectorIndexes } from '@lakehouse/vector'

type MaybePromise<T> = T | Promise<T>

/**
 * The vector indexes as matrix uses them. The vector service's own object fits; so does its
 * client in a split deployment, where even `info` and `has` answer later (ADR-028).
 */
export interface MatrixIndexes {
  create: VectorIndexes['create']
  info(name: string): MaybePromise<ReturnType<VectorIndexes['info']>>
  has(name: string, ids: readonly string[]): MaybePromise<ReturnType<VectorIndexes['has']>>
  add: VectorIndexes['add']
  search: VectorIndexes['search']
}
