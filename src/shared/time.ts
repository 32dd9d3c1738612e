import { IANAZone } from 'luxon';

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}
