export { type GatewayConfig, gatewayDefaults, resolveGatewayConfig } from './config.ts'
export { ERROR_REGISTRIES } from './errors.ts'
export { createGateway, type Gateway, type GatewayDeps, type GatewayOptions } from './gateway.ts'
export { type HealthBody, healthBody } from './health.ts'
