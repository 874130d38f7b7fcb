/**
 * scripts/testing/refusal.ts: the code and sentence of an expected OutpostError, for tests that check
 * a refusal (`expect((await refusal(run(...))).code).toBe('forbidden')`). Any other error is rethrown;
 * no error at all fails the test.
 */
import { isOutpostError } from '../../common/errors.ts';

export async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isOutpostError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}
