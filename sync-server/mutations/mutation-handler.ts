/**
 * sync-server/mutations/mutation-handler.ts: the write API as a service, independent of HTTP: a
 * request body and the signed-in principal in, a status and a body out (mutation-service.ts
 * implements it; sync-server/http/server.ts serves it behind authentication, a body limit and a rate
 * limit as `POST /v1/mutations`).
 */
import type { Principal } from '../auth/auth-service.ts';

export type MutationHandler = (
  body: unknown,
  principal: Principal,
) => Promise<{ status: number; body: unknown }>;
