import { Query, Resolver } from '@nestjs/graphql';
import { packageInfo } from '@revops/platform';
import { ApiRuntime } from '../api-runtime';
import { Version } from './graphql/version.types';

@Resolver(() => Version)
export class VersionResolver {
  constructor(private readonly runtime: ApiRuntime) {}

  @Query(() => Version, { description: 'Name and version of the running build, and how it stores data' })
  version(): Version {
    return {
      name: packageInfo.name,
      version: packageInfo.version,
      eventStoreMode: this.runtime.eventStore.mode,
      readStoreMode: this.runtime.readStore.mode,
    };
  }
}
