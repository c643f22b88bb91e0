import { type ContractChecker, contractChecker } from './contract-check.ts'
import { ContractError, loadContract } from './load-contract.ts'

/**
 * `--contract FILE|URL`: the checker every target's answers go through, or undefined without
 * the flag. Throws ContractError (a RunConfigError: exit 2) when the document cannot be used.
 */
export async function contractFromFlags(value: string | undefined): Promise<ContractChecker | undefined> {
  if (value === undefined) return undefined
  if (value.trim() === '') throw new ContractError('--contract needs an OpenAPI document: a .json or .yaml file, or an http(s) URL')
  const doc = await loadContract(value)
  try {
    return contractChecker(doc, value)
  } catch (e) {
    throw new ContractError(`--contract ${value}: cannot use the document: ${e instanceof Error ? e.message : String(e)}`)
  }
}
