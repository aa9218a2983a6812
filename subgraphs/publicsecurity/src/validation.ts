// Argument checks of the public-security department that need no database.
import { BadUserInputError } from '../../kit/src/errors/GraphQLErrorWithCode.js';

/**
 * Shape of an opaque person id: `P-` and 12 lowercase hex digits. The id is
 * never derived from the ID-card number, so its form says nothing about the
 * person.
 */
const PERSON_ID = /^P-[0-9a-f]{12}$/;

/** True when `id` has the form of an opaque person id. */
export function isPersonId(id: string): boolean {
  return PERSON_ID.test(id);
}

/** `id` when it is a well-formed person id; BAD_USER_INPUT otherwise. */
export function parsePersonId(id: string, argumentName = 'id'): string {
  if (!isPersonId(id)) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      id,
      'an opaque person id: "P-" followed by 12 lowercase hexadecimal digits',
    );
  }
  return id;
}
