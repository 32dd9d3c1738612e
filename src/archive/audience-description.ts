/**
 * Who an official message was addressed to, in words a parent reads on the public archive (Spanish,
 * the language of the ministry's publications): roles, departments by name, grades, language, channel.
 * Only the filter is described — never a contact.
 */
import type { AudienceFilter } from '../audiences/filter.js';

// Codes of the statistics office and the education ministry's open data.
const DEPARTMENTS: Record<string, string> = {
  '00': 'Asunción',
  '01': 'Concepción',
  '02': 'San Pedro',
  '03': 'Cordillera',
  '04': 'Guairá',
  '05': 'Caaguazú',
  '06': 'Caazapá',
  '07': 'Itapúa',
  '08': 'Misiones',
  '09': 'Paraguarí',
  '10': 'Alto Paraná',
  '11': 'Central',
  '12': 'Ñeembucú',
  '13': 'Amambay',
  '14': 'Canindeyú',
  '15': 'Presidente Hayes',
  '16': 'Boquerón',
  '17': 'Alto Paraguay',
};
const ROLES: Record<string, string> = { parent: 'familias', teacher: 'docentes', director: 'directores', supervisor: 'supervisores', official: 'funcionarios' };
const LANGUAGES: Record<string, string> = { es: 'castellano', gn: 'guaraní' };
const ZONES: Record<string, string> = { urban: 'zona urbana', rural: 'zona rural' };
const CHANNELS: Record<string, string> = { whatsapp: 'WhatsApp', sms: 'SMS' };
const SCHOOLS_LISTED = 3;

export function describeAudience(filter: AudienceFilter, segmentName?: string | null): string {
  const parts = [
    filter.roles?.length ? capitalize(list(filter.roles.map((r) => ROLES[r] ?? r))) : 'Todos los destinatarios',
    filter.departments?.length ? list(filter.departments.map((d) => DEPARTMENTS[d] ?? `departamento ${d}`)) : 'todo el país',
    filter.districts?.length ? `distrito${filter.districts.length > 1 ? 's' : ''} ${list(filter.districts)}` : null,
    filter.schoolCodes?.length
      ? filter.schoolCodes.length <= SCHOOLS_LISTED
        ? `institución${filter.schoolCodes.length > 1 ? 'es' : ''} ${list(filter.schoolCodes)}`
        : `${filter.schoolCodes.length} instituciones`
      : null,
    filter.zones?.length ? list(filter.zones.map((z) => ZONES[z] ?? z)) : null,
    filter.grades?.length ? `grado${filter.grades.length > 1 ? 's' : ''} ${list(filter.grades.map(String))}` : null,
    filter.languages?.length ? list(filter.languages.map((l) => LANGUAGES[l] ?? l)) : null,
    filter.channels?.length ? list(filter.channels.map((c) => CHANNELS[c] ?? c)) : null,
    segmentName ? `segmento «${segmentName}»` : null,
  ];
  return parts.filter((part): part is string => part !== null).join(' · ');
}

function list(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} y ${items[items.length - 1]}` : items[0]!;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
