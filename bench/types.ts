/** One line of the printed table. `pass` is null when a figure has no goal (context only). */
export interface Metric {
  section: string;
  metric: string;
  value: number | null;
  /** The value as printed (with its unit). */
  display: string;
  goal: string;
  pass: boolean | null;
}

export interface SectionResult {
  section: string;
  metrics: Metric[];
  /** Everything measured, for results.json. */
  details: Record<string, unknown>;
}

export function metric(
  section: string,
  name: string,
  value: number | null,
  display: string,
  goal = '',
  pass: boolean | null = null,
): Metric {
  return { section, metric: name, value, display, goal, pass };
}

export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

export function fixed(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}
