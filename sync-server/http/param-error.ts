/**
 * sync-server/http/param-error.ts: the error of a Shape API request parameter: a 400 `validation`
 * whose `errors` member names the parameter (error-response.ts).
 */
import { OutpostError } from '../../common/errors.ts';

export class ParamError extends OutpostError {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super('validation', message, { param });
  }
}
