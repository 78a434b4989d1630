import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ReadModels } from './read-models';

/** What every context's queries share: the query bus and the serving read models. */
@Global()
@Module({
  imports: [CqrsModule],
  providers: [ReadModels],
  exports: [ReadModels],
})
export class ReadSideModule {}
