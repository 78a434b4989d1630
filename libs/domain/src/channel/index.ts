export * from './channel';
export * from './channel-rules';
export * from './default-channel-rules';
export * from './errors';
