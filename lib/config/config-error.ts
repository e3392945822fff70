/** A bad configuration value: names the variable and the value, and stops start-up. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly value: string,
    reason: string,
  ) {
    super(`${variable}=${JSON.stringify(value)}: ${reason}`);
  }
}
