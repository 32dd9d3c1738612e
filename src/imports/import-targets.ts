/** Every kind of import, by the name the imports table and the job payload use. */
import { contactsImport, type ContactImportRules } from '../contacts/contacts-import.js';
import { resultsImport } from '../schools/results-import.js';
import { schoolsImport } from '../schools/schools-import.js';
import type { ImportKind, ImportTarget } from './import-target.js';

export function importTargets(rules: ContactImportRules): Record<ImportKind, ImportTarget> {
  return { contacts: contactsImport(rules), schools: schoolsImport, results: resultsImport };
}
