/** The current time; injected so that lags, processing times and default windows are testable. */
export interface Clock {
  now(): Date;
}
