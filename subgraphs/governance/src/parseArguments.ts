// The governance API's checks of plain arguments: required and optional
// text, ids, and one BAD_USER_INPUT for every problem found (the content of
// an entry is parsed in entryContent.ts).
import { BadUserInputError } from '../../kit/src/errors/GraphQLErrorWithCode.js';
import type { EntryProblem } from './entryContent.js';

/** BAD_USER_INPUT listing every problem, each in `extensions.problems`. */
export function invalidInput(
  problems: readonly EntryProblem[],
): BadUserInputError {
  return new BadUserInputError(
    problems.map((p) => `${p.field}: ${p.message}`).join(' '),
    { problems },
  );
}

/**
 * The text trimmed.
 * @throws BadUserInputError when it is empty, longer than 4000 characters or holds NUL
 */
export function requireText(
  value: string | null | undefined,
  argumentName: string,
  what: string,
): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') {
    throw new BadUserInputError(`${what} is required.`, { argumentName });
  }
  if (trimmed.length > 4000 || trimmed.includes('\u0000')) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      value,
      'text of at most 4000 characters without NUL',
    );
  }
  return trimmed;
}

/** The text trimmed, or undefined when absent or blank; checked as {@link requireText}. */
export function optionalText(
  value: string | null | undefined,
  argumentName: string,
): string | undefined {
  if (value === null || value === undefined || value.trim() === '') {
    return undefined;
  }
  return requireText(value, argumentName, argumentName);
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Whether `id` is letters, digits, ".", "_" and "-" (at most 100). */
export function isId(id: string): boolean {
  return ID.test(id);
}

/** @throws BadUserInputError unless `id` {@link isId} */
export function assertId(id: string, argumentName: string): void {
  if (!isId(id)) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      id,
      'an id like NL-PS-004 (letters, digits, ".", "_" and "-")',
    );
  }
}
