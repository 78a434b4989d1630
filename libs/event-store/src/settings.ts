/** Refuses a setting that is given but is not an integer of at least `least`, naming it. */
export function requireInteger(value: number | undefined, field: string, least: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= least)) throw new RangeError(`${field} must be an integer of at least ${least}, not ${value}`);
}
