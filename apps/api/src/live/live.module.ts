import { Module } from '@nestjs/common';
import { LiveResolver } from './live.resolver';
import { LiveUpdates } from './live-updates';

/** GraphQL subscriptions (graphql-ws on /graphql): changes pushed once the read models have them. */
@Module({
  providers: [LiveUpdates, LiveResolver],
})
export class LiveModule {}
