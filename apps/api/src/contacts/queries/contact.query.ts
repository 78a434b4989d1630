import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import { ReadModels } from '../../common/read-side/read-models';
import type { Contact } from '../graphql/contact.types';
import { readContacts } from './contact-rows';

export class ContactQuery extends Query<Contact | null> {
  constructor(
    readonly contactId: string,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

@QueryHandler(ContactQuery)
export class ContactQueryHandler implements IQueryHandler<ContactQuery, Contact | null> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ contactId, minPosition }: ContactQuery): Promise<Contact | null> {
    // The account is nested: waiting on its read model too keeps it as fresh as the contact.
    const view = await this.readModels.open(['contacts', 'accounts'], minPosition);
    const [contact] = await readContacts(view, 'contact_id', [contactId]);
    return contact ?? null;
  }
}
