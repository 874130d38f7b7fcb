/**
 * common/host/utility-process-protocol.ts: the messages between Electron's main process and the core's
 * utility process (over its parentPort), with the zod schemas both sides validate them with.
 *
 *   main → core  start { dataDir, migrationsDir }   core → main  started | failed { code, message }
 *   main → core  connect { client } + [port]        the core serves the RPC contract on the port
 *   main → core  disconnect { client }              the window is gone: close its port
 *   main → core  quit                               core → main  closed (the database is closed)
 *   core → main  secret-get | secret-set | secret-delete { id, key, value? }
 *   main → core  secret-result { id, value } | secret-error { id, code, message }
 *
 * Secrets travel this way because safeStorage does not exist in a utility process: the core's
 * SecretStore asks main, which keeps them encrypted (docs/security.md, "On the device").
 *
 * Guarantees: both sides parse every message on arrival and ignore anything that does not match;
 * secret keys are short identifiers and values are bounded; error codes are codes of common/errors.ts.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';

/** A secret's name: a short dotted identifier such as `outpost.session`. */
export const SecretKeySchema = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'a short dotted identifier');
/** Tokens are a few KiB; anything much larger is a bug or an attack. */
export const SECRET_VALUE_MAX_LENGTH = 256 * 1024;
const SecretValueSchema = z.string().max(SECRET_VALUE_MAX_LENGTH);
const RequestId = z.number().int().nonnegative();
const ClientId = z.number().int().nonnegative();

const ErrorCodeSchema = z
  .string()
  .refine((code): code is ErrorCode => Object.hasOwn(ERROR_CODES, code), 'a code of common/errors.ts');

export const MainToCoreMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), dataDir: z.string().min(1), migrationsDir: z.string().min(1) }),
  z.object({ type: z.literal('connect'), client: ClientId }),
  z.object({ type: z.literal('disconnect'), client: ClientId }),
  z.object({ type: z.literal('quit') }),
  z.object({ type: z.literal('secret-result'), id: RequestId, value: SecretValueSchema.nullable() }),
  z.object({
    type: z.literal('secret-error'),
    id: RequestId,
    code: ErrorCodeSchema,
    message: z.string().max(2000),
  }),
]);
export type MainToCoreMessage = z.infer<typeof MainToCoreMessageSchema>;

export const SecretRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('secret-get'), id: RequestId, key: SecretKeySchema }),
  z.object({ type: z.literal('secret-set'), id: RequestId, key: SecretKeySchema, value: SecretValueSchema }),
  z.object({ type: z.literal('secret-delete'), id: RequestId, key: SecretKeySchema }),
]);
export type SecretRequest = z.infer<typeof SecretRequestSchema>;

export const CoreToMainMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started') }),
  z.object({ type: z.literal('failed'), code: ErrorCodeSchema, message: z.string().max(2000) }),
  z.object({ type: z.literal('closed') }),
  ...SecretRequestSchema.options,
]);
export type CoreToMainMessage = z.infer<typeof CoreToMainMessageSchema>;

/** Parses a parentPort message arriving in the core; null for anything that is not one of ours. */
export function parseMainToCoreMessage(data: unknown): MainToCoreMessage | null {
  const parsed = MainToCoreMessageSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** Parses a parentPort message arriving in main; null for anything that is not one of ours. */
export function parseCoreToMainMessage(data: unknown): CoreToMainMessage | null {
  const parsed = CoreToMainMessageSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}
