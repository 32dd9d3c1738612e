/**
 * Department (2 digits: 00 Asunción … 17) and district (4 digits: department + district) codes as written
 * in spreadsheets, which drop leading zeros: "1" is department 01 and "101" district 0101. A code of any
 * other form is returned as written, for the schema to refuse.
 */
export function departmentCode(text: string): string {
  return /^\d$/.test(text) ? `0${text}` : text;
}

export function districtCode(text: string): string {
  return /^\d{3}$/.test(text) ? `0${text}` : text;
}

/** A district belongs to the department its code starts with. */
export function districtOutsideDepartment(district: string | null | undefined, department: string | null | undefined): string | undefined {
  if (!district || !department || district.startsWith(department)) return undefined;
  return `district ${district} is not in department ${department}`;
}
