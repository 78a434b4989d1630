import type { IncomingHttpHeaders } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import { utcTimestamp, type UtcTimestamp } from '@revops/domain';
import type { Actor, CommandContext } from '@revops/event-store';
import { commandContextFrom } from './command-context';
import { InputValidationError } from './validation/input-validation.error';

export const ACTOR_HEADER = 'x-actor-id';

/** Same shape as correlation ids, plus `@` so an email-like user name survives. */
const ACTOR_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export const anonymousActor: Actor = { type: 'user', id: 'anonymous' };

/**
 * Who is acting. There is no authentication yet (DESIGN §11 is later work), so a
 * well-formed `x-actor-id` header is taken on trust and anything else is `anonymous`.
 * Once tokens exist the actor must come from the verified token, never from a header.
 */
export function actorFrom(headers: IncomingHttpHeaders): Actor {
  const header = headers[ACTOR_HEADER];
  const offered = Array.isArray(header) ? header[0] : header;
  return offered && ACTOR_ID.test(offered) ? { type: 'user', id: offered } : anonymousActor;
}

/** A command context whose business time is already a canonical UTC timestamp, ready for event data. */
export type WriteContext = CommandContext & { readonly occurredAt: UtcTimestamp };

/** The request behind a mutation, reduced to what the write side needs from it. */
export class ApiCaller {
  constructor(private readonly headers: IncomingHttpHeaders) {}

  get actor(): Actor {
    return actorFrom(this.headers);
  }

  /**
   * The envelope of one command: correlation from the caller, a fresh causation id that
   * names this command, source `api`, and the business time the caller gave (validated
   * already) or now.
   */
  commandContext(occurredAt?: string | null): WriteContext {
    const at = occurredAt ? utcTimestamp(occurredAt, 'occurredAt') : new Date().toISOString();
    const context = commandContextFrom(this.headers, { source: 'api', actor: this.actor, occurredAt: at });
    return { ...context, occurredAt: at };
  }
}

function headersOf(context: ExecutionContext): IncomingHttpHeaders {
  if (context.getType<GqlContextType>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: { headers: IncomingHttpHeaders } }>().req.headers;
  }
  return context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>().headers;
}

/** Injects the `ApiCaller` of the current GraphQL or HTTP request. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => new ApiCaller(headersOf(context)));

/**
 * The acting user's id, for fields that default to "whoever is asking" (the rep who
 * accepts a lead, the owner of a new deal). An anonymous caller has to name someone.
 */
export function actingUserId(context: CommandContext, field: string): string {
  const { actor } = context;
  if (actor.type === 'user' && actor.id !== anonymousActor.id) return actor.id;
  throw new InputValidationError([{ field, message: `${field} is required when the request names no actor (${ACTOR_HEADER} header)` }]);
}
