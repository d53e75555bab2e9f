/** The object has no enumerable key: told without listing its keys (this runs for every row of an export). */
export function isEmptyObject(object: object): boolean {
  for (const _ in object) return false;
  return true;
}
