/**
 * Who may do what: the one table every /v1 route is checked against. A route names its permission in
 * its config; the auth hook refuses (403) a caller whose role lacks it.
 */
export const ROLES = ['admin', 'communicator', 'approver', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'contacts:read': ['admin', 'communicator', 'approver', 'viewer'],
  'contacts:write': ['admin', 'communicator'],
  'contacts:erase': ['admin'],
  'schools:read': ['admin', 'communicator', 'approver', 'viewer'],
  'schools:write': ['admin', 'communicator'],
  'audiences:read': ['admin', 'communicator', 'approver', 'viewer'],
  'segments:write': ['admin', 'communicator'],
  'campaigns:read': ['admin', 'communicator', 'approver', 'viewer'],
  'campaigns:write': ['admin', 'communicator'],
  'campaigns:approve': ['admin', 'approver'],
  'campaigns:control': ['admin', 'communicator', 'approver'],
  'reports:read': ['admin', 'communicator', 'approver', 'viewer'],
  'inbound:read': ['admin', 'communicator', 'approver'],
  'audit:read': ['admin', 'approver'],
  'settings:read': ['admin', 'communicator', 'approver', 'viewer'],
  'settings:write': ['admin'],
  // The public archive: checking a text is open to every role; correcting an official message is not.
  'archive:verify': ['admin', 'communicator', 'approver', 'viewer'],
  'archive:correct': ['admin', 'approver'],
  'users:admin': ['admin'],
  'keys:admin': ['admin'],
  'queues:admin': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
