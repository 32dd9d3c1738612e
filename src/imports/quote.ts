/** A cell or column name as a message quotes it: in double quotes, escaped, and cut short (a cell may be 100 KB of noise). */
export function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
