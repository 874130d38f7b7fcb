/**
 * renderer/auth/sign-in-errors.ts: what the sign-in screen says for each failure code (pure).
 */
import { OutpostError } from '../../common/errors.ts';

export function signInErrorText(error: unknown): string {
  if (!(error instanceof OutpostError))
    return `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
  switch (error.code) {
    case 'invalid_credentials':
      return 'The email, password or tenant is not right. Check them and try again.';
    case 'offline':
      return `The server could not be reached (${error.message}). Check the address and your network, or continue offline with the saved account.`;
    case 'validation':
      return `Please check the form: ${error.message}`;
    case 'rate_limited':
      return 'Too many attempts. Wait a minute, then try again.';
    case 'signed_out':
      return error.message;
    case 'locked':
      return error.message;
    default:
      return `Sign-in failed (${error.code}): ${error.message}`;
  }
}
