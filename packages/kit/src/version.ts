/** The Lakehouse release; kept equal to the root package.json version by a test. */
export const LAKEHOUSE_VERSION = '0.1.0'
