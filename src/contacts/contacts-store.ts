/** Reading and writing single contacts through Prisma (bulk paths use SQL, see the import). */
import type { Contact, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { badRequest } from '../http/errors.js';
import type { ContactFields } from './contact-input.js';

export type ContactFilter = {
  role?: string;
  language?: string;
  channel?: string;
  department?: string;
  district?: string;
  schoolCode?: string;
  grade?: number;
  optedOut?: boolean;
  phone?: string;
};

/** Creates the contact, or updates the one with this phone with the fields given. */
export async function upsertContact(prisma: PrismaClient, fields: ContactFields, defaultTimezone: string): Promise<{ contact: Contact; created: boolean }> {
  const { phone, attributes, ...rest } = fields;
  const data: Prisma.ContactUncheckedUpdateInput = { ...rest, ...(attributes !== undefined ? { attributes } : {}) };
  if (fields.schoolCode) {
    const school = await prisma.school.findUnique({ where: { code: fields.schoolCode } });
    if (!school) throw badRequest(`unknown school code "${fields.schoolCode}"`);
    // Where a contact is comes from their school unless said otherwise.
    data.department = fields.department ?? school.department;
    data.district = fields.district ?? school.district;
  }
  const existing = await prisma.contact.findUnique({ where: { phone } });
  if (existing) {
    if (existing.erasedAt) throw badRequest('this contact was erased on request and cannot be written again');
    return { contact: await prisma.contact.update({ where: { id: existing.id }, data }), created: false };
  }
  if (!fields.role) throw badRequest('role is required for a new contact');
  const contact = await prisma.contact.create({
    data: {
      ...(data as Prisma.ContactUncheckedCreateInput),
      phone,
      role: fields.role,
      language: fields.language ?? 'es',
      channel: fields.channel ?? 'whatsapp',
      timezone: fields.timezone ?? defaultTimezone,
    },
  });
  return { contact, created: true };
}

export async function listContacts(prisma: PrismaClient, filter: ContactFilter, limit: number, after?: number): Promise<Contact[]> {
  return prisma.contact.findMany({
    where: {
      erasedAt: null,
      ...(filter.role ? { role: filter.role as Contact['role'] } : {}),
      ...(filter.language ? { language: filter.language } : {}),
      ...(filter.channel ? { channel: filter.channel as Contact['channel'] } : {}),
      ...(filter.department ? { department: filter.department } : {}),
      ...(filter.district ? { district: filter.district } : {}),
      ...(filter.schoolCode ? { schoolCode: filter.schoolCode } : {}),
      ...(filter.grade !== undefined ? { grade: filter.grade } : {}),
      ...(filter.optedOut !== undefined ? { optedOut: filter.optedOut } : {}),
      ...(filter.phone ? { phone: filter.phone } : {}),
      ...(after ? { id: { gt: after } } : {}),
    },
    orderBy: { id: 'asc' },
    take: limit,
  });
}

export function contactJson(contact: Contact) {
  return {
    id: contact.id,
    phone: contact.phone,
    name: contact.name,
    role: contact.role,
    language: contact.language,
    channel: contact.channel,
    schoolCode: contact.schoolCode,
    department: contact.department,
    district: contact.district,
    grade: contact.grade,
    timezone: contact.timezone,
    attributes: contact.attributes,
    optedOut: contact.optedOut,
    optedOutAt: contact.optedOutAt,
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
  };
}
