import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { LoggerModule } from 'nestjs-pino';
import { EventStoreModule } from '@revops/event-store';
import { isPolledEndpoint } from '@revops/platform';
import { allProjections, ProjectionsModule } from '@revops/projections';
import { ReadStoreModule } from '@revops/read-models';
import { ApiRuntime } from './api-runtime';
import { graphqlOptions } from './graphql/graphql.options';
import { OpsModule } from './ops/ops.module';
import { LiveModule } from './live/live.module';
import { ContactsModule } from './contacts/contacts.module';
import { TouchpointsModule } from './touchpoints/touchpoints.module';
import { WriteSideModule } from './common/write-side.module';
import { ReadSideModule } from './common/read-side/read-side.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { OpportunitiesModule } from './opportunities/opportunities.module';
import { LeadsModule } from './leads/leads.module';
import { AccountsModule } from './accounts/accounts.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { AttributionModule } from './attribution/attribution.module';

@Module({})
export class AppModule {
  static forRoot(runtime: ApiRuntime): DynamicModule {
    const readStore = { url: runtime.readStore.url, embedded: runtime.readStore.mode === 'embedded' };
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: runtime.logger,
            autoLogging: { ignore: isPolledEndpoint },
          },
        }),
        EventStoreModule.forRoot({ connectionString: runtime.eventStore.connectionString, isGlobal: true }),
        ReadStoreModule.forRoot(readStore),
        // Always present, so queries can resolve serving versions and wait for their writes;
        // the runners themselves only where the runtime says this process projects.
        ProjectionsModule.forRoot({ projections: allProjections, readStore, run: runtime.runsProjections }),
        GraphQLModule.forRoot<ApolloDriverConfig>(graphqlOptions(runtime.config)),
        OpsModule,
        LiveModule,
        ContactsModule,
        TouchpointsModule,
        WriteSideModule,
        ReadSideModule,
        PipelineModule,
        OpportunitiesModule,
        LeadsModule,
        AccountsModule,
        CampaignsModule,
        AttributionModule,
      ],
      providers: [{ provide: ApiRuntime, useValue: runtime }],
      exports: [ApiRuntime],
    };
  }
}
