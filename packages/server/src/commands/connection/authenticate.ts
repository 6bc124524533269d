/**
 * Password checks shared by AUTH and HELLO ... AUTH. replisim has one user, `default`, as Redis
 * without ACL rules: its password is `requirepass`, and with no requirepass it accepts any password
 * (Redis's `nopass`).
 */
import type { ServerNode } from '../../node.js';
import { ErrorReply } from '../types.js';

export const WRONG_PASS: ErrorReply = new ErrorReply(
  'WRONGPASS invalid username-password pair or user is disabled.',
);

/** Checks a username/password pair; returns an error reply or undefined when it is accepted. */
export function checkCredentials(
  node: ServerNode,
  username: string,
  password: Buffer,
): ErrorReply | undefined {
  if (username !== 'default') return WRONG_PASS;
  const required = node.config.requirepass;
  if (required === '') return undefined;
  return password.toString('latin1') === required ? undefined : WRONG_PASS;
}
