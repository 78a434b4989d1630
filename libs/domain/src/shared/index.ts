export * from './decider';
export * from './domain-error';
export * from './money';
export * from './time';
export * from './utm';
export * from './validation';
export * from './identity';
