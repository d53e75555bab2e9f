import type { JsonCondition } from '../../config/schema.js';
import { type CompiledPath, cellOf, compilePath, type PathScope, readPath } from './path.js';

export type Test = (scope: PathScope) => boolean;

/** Scalars are compared as cells: `5`, `"5"` and ids of either kind match; `false` matches `"false"`. */
function cellsOf(values: readonly (string | number | boolean | null)[]): Set<string | undefined> {
  return new Set(values.map((value) => cellOf(value)));
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'string' && value.trim() === '';
}

/** One condition, compiled: every test it gives must hold. */
export function compileCondition(condition: JsonCondition): Test {
  const path: CompiledPath | undefined =
    condition.path === undefined ? undefined : compilePath(condition.path);
  const tests: ((value: unknown, scope: PathScope) => boolean)[] = [];
  if (condition.equals !== undefined) {
    const wanted = cellOf(condition.equals);
    tests.push((value) => cellOf(value) === wanted);
  }
  if (condition.in !== undefined) {
    const wanted = cellsOf(condition.in);
    tests.push((value) => wanted.has(cellOf(value)));
  }
  if (condition.notIn !== undefined) {
    const unwanted = cellsOf(condition.notIn);
    tests.push((value) => !unwanted.has(cellOf(value)));
  }
  if (condition.equalsPath !== undefined) {
    const other = compilePath(condition.equalsPath);
    tests.push((value, scope) => {
      const cell = cellOf(value);
      return cell !== undefined && cell === cellOf(readPath(scope, other));
    });
  }
  if (condition.empty !== undefined) {
    const wanted = condition.empty;
    tests.push((value) => isEmpty(value) === wanted);
  }
  if (path === undefined) return () => true;
  // Only a path: the value is there.
  if (tests.length === 0) tests.push((value) => !isEmpty(value));
  return (scope) => {
    const value = readPath(scope, path);
    // A loop, not every(): role rules are tested for each message, and a callback per test cost more.
    for (const test of tests) if (!test(value, scope)) return false;
    return true;
  };
}

/** True when any of the conditions holds (an empty list: never). */
export function compileAny(conditions: readonly JsonCondition[]): Test {
  const tests = conditions.map(compileCondition);
  return (scope) => {
    for (const test of tests) if (test(scope)) return true;
    return false;
  };
}
