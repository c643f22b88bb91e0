import { serverCommand } from '@lakehouse/launch'

/**
 * The Node app runs from its bundle; turbo builds it before `test` (dependsOn build), and this
 * turns a missing bundle into a clear message (how to build it) instead of a spawn error.
 */
export default function setup(): void {
  serverCommand('node')
}
