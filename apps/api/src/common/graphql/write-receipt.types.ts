import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'A position in the event log. Commit and prepare are 64-bit, so they are decimal strings; ' +
    'pass them on to wait for read models to catch up',
})
export class CommitPosition {
  @Field({ description: 'Commit position, a decimal string' })
  commit!: string;

  @Field({ description: 'Prepare position, a decimal string' })
  prepare!: string;
}

/** The fields every mutation returns about the stream it wrote to. */
@ObjectType({ isAbstract: true })
export abstract class WriteReceipt {
  @Field({ description: 'The stream written to, e.g. opportunity-7f3c…' })
  streamName!: string;

  @Field({ description: "The stream's revision after the write, a decimal string" })
  streamRevision!: string;

  @Field(() => CommitPosition, {
    description: "Position of the last event written, or of the stream's last event when the mutation changed nothing",
  })
  position!: CommitPosition;

  @Field(() => Int, { description: 'Events appended; 0 when the same change had been made already' })
  eventsWritten!: number;
}

@ObjectType({ description: 'One stream a mutation wrote to' })
export class StreamWrite extends WriteReceipt {}
