import { CreateProjectionCheckpoints1795330000000 } from './1795330000000-create-projection-checkpoints.migration';
import { CreateProjectionLifecycle1795332900000 } from './1795332900000-create-projection-lifecycle.migration';

/** Every migration of the read store, oldest first. */
export const readStoreMigrations = [CreateProjectionCheckpoints1795330000000, CreateProjectionLifecycle1795332900000];
