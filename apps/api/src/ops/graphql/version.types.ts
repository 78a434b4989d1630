import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { StoreMode } from '@revops/platform';

export const StoreModeValues = { EMBEDDED: 'embedded', EXTERNAL: 'external' } as const satisfies Record<
  string,
  StoreMode
>;

registerEnumType(StoreModeValues, {
  name: 'StoreMode',
  description: 'Whether a store runs inside the api process or is a server of its own',
  valuesMap: {
    EMBEDDED: { description: 'Runs in-process: the EventStoreDB dev server, or PGlite' },
    EXTERNAL: { description: 'A server named by EVENTSTORE_URL or DATABASE_URL' },
  },
});

@ObjectType({ description: 'The running build and how it stores data' })
export class Version {
  @Field({ description: 'Package name' })
  name!: string;

  @Field({ description: 'Package version' })
  version!: string;

  @Field(() => StoreModeValues, { description: 'Where the events are kept' })
  eventStoreMode!: StoreMode;

  @Field(() => StoreModeValues, { description: 'Where the PostgreSQL read models are kept' })
  readStoreMode!: StoreMode;
}
