/**
 * Request body examples for routes whose schema carries none of its own (a schema's own `examples`
 * win). test/http/openapi.test.ts checks that every documented body has an example and that each example
 * is valid for its route's schema, so this table cannot drift from the routes unnoticed.
 */
export const BODY_EXAMPLES: Record<string, unknown> = {
  'POST /webhooks/twilio/status': {
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    MessageStatus: 'undelivered',
    ErrorCode: '30005',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: 'whatsapp:+595210000001',
    To: 'whatsapp:+595981123456',
    ApiVersion: '2010-04-01',
  },
  'POST /webhooks/twilio/inbound': {
    MessageSid: 'SM89abcdef0123456789abcdef01234567',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: 'whatsapp:+595981123456',
    To: 'whatsapp:+595210000001',
    Body: 'BAJA',
    NumMedia: '0',
  },
  'POST /v1/contacts': {
    phone: '0981 123 456',
    name: 'María Benítez',
    role: 'parent',
    language: 'gn',
    channel: 'whatsapp',
    schoolCode: '1101001',
    grade: 3,
    attributes: { child: 'Tania' },
  },
  'POST /v1/schools': { code: '1101001', name: 'Escuela Básica Nº 1 Mcal. López', department: '11', district: '1101', zone: 'urban', attributes: { shift: 'morning' } },
  'POST /v1/segments': {
    name: 'Padres de 3er grado, Central, zona rural',
    description: 'For the census results campaign',
    filter: { roles: ['parent'], departments: ['11'], zones: ['rural'], grades: [3] },
  },
  'POST /v1/audiences/preview': { filter: { roles: ['parent'], languages: ['gn'], channels: ['whatsapp'] }, fields: ['school.results.grade3.math.level'] },
  'POST /v1/campaigns': {
    name: 'Resultados de la evaluación censal, 3er grado',
    audience: { roles: ['parent'], departments: ['11'], grades: [3] },
    schedule: { timezone: 'America/Asuncion', startDate: '2027-03-01', sendTime: '09:00' },
    steps: [
      { week: 1, content: { es: { body: 'Hola {{contact.name}}, la escuela {{school.name}} ya tiene sus resultados.' }, gn: { body: "Mba'éichapa {{contact.name}}, {{school.name}} oguereko hembiapokuéra." } } },
      { week: 2, content: { es: { body: 'Matemática en 3er grado: nivel {{school.results.grade3.math.level}}.' } } },
    ],
    options: { fallbackLanguage: 'es', smsFallback: true },
  },
};
