import { describe, expect, it } from 'vitest';
import { shapePreview, type AudienceGroup } from '../../src/audiences/preview.js';

const group = (role: string, department: string | null, language: string, channel: string, optedOut: boolean, contacts: number): AudienceGroup => ({ role, department, language, channel, opted_out: optedOut, contacts });

describe('shapePreview', () => {
  it('sums the groups into totals and breakdowns of the reachable contacts', () => {
    const preview = shapePreview([
      group('parent', '11', 'gn', 'whatsapp', false, 5),
      group('parent', '11', 'es', 'sms', false, 3),
      group('teacher', '07', 'gn', 'whatsapp', false, 2),
      group('parent', '11', 'gn', 'whatsapp', true, 4),
      group('official', null, 'es', 'whatsapp', false, 1),
    ]);
    expect(preview).toEqual({
      total: 15,
      optedOut: 4,
      reachable: 11,
      byRole: { parent: 8, teacher: 2, official: 1 },
      byDepartment: { '11': 8, '07': 2, none: 1 },
      byLanguage: { gn: 7, es: 4 },
      byChannel: { whatsapp: 8, sms: 3 },
    });
  });

  it('is all zeros for an empty audience', () => {
    expect(shapePreview([])).toEqual({ total: 0, optedOut: 0, reachable: 0, byRole: {}, byDepartment: {}, byLanguage: {}, byChannel: {} });
  });
});
