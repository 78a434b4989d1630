import { CreateProjectionCheckpoints1795330000000 } from './1795330000000-create-projection-checkpoints.migration';

/** Every migration of the read store, oldest first. */
export const readStoreMigrations = [CreateProjectionCheckpoints1795330000000];
