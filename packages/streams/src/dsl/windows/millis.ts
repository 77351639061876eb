/** A non-negative whole number of milliseconds, or a RangeError naming the parameter. */
export function millis(owner: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${owner}: ${name} must be a non-negative integer of milliseconds, got ${value}`);
  }
  return value;
}
