/** Once per `npm run test:faults`: the fault tests' own database, emptied and migrated. */
import { recreateDatabase } from '../../../bench/support.js';
import { FAULTS_DATABASE_URL } from './environment.js';

export default async function setup(): Promise<void> {
  await recreateDatabase(FAULTS_DATABASE_URL);
}
