/**
 * common/lifecycles/connection.ts: the lifecycle of a provider connection (000 connections, 003
 * integrations' PENDING → ACTIVE, 002 crmConnections).
 *
 *   pending ──authorize──► active ──fail──► error ──recover──► active
 *                            │                │
 *                         disable             └──reconnect──► pending
 *                            ▼
 *                         disabled ──enable──► active
 *
 *   also: pending ──fail──► error;  pending, error ──disable──► disabled;
 *         pending, active, error, disabled ──revoke──► revoked ──reconnect──► pending
 *
 * Nothing is final: revoked credentials (by a person, or by the provider) are replaced by
 * reconnecting, which starts a new authorisation (the row keeps its label and its cursors). The
 * connectors authorize, fail and recover; a person disables, enables, revokes and reconnects.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const CONNECTION_STATES = ['pending', 'active', 'error', 'disabled', 'revoked'] as const;
export const CONNECTION_EVENTS = [
  'authorize',
  'fail',
  'recover',
  'disable',
  'enable',
  'revoke',
  'reconnect',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];
export type ConnectionEvent = (typeof CONNECTION_EVENTS)[number];

const R = REFUSED;

export const connectionLifecycle: Lifecycle<ConnectionState, ConnectionEvent> = {
  name: 'connection',
  states: CONNECTION_STATES,
  events: CONNECTION_EVENTS,
  table: {
    pending: {
      authorize: 'active',
      fail: 'error',
      recover: R,
      disable: 'disabled',
      enable: R,
      revoke: 'revoked',
      reconnect: R,
    },
    active: {
      authorize: R,
      fail: 'error',
      recover: R,
      disable: 'disabled',
      enable: R,
      revoke: 'revoked',
      reconnect: R,
    },
    error: {
      authorize: R,
      fail: R,
      recover: 'active',
      disable: 'disabled',
      enable: R,
      revoke: 'revoked',
      reconnect: 'pending',
    },
    disabled: {
      authorize: R,
      fail: R,
      recover: R,
      disable: R,
      enable: 'active',
      revoke: 'revoked',
      reconnect: R,
    },
    revoked: {
      authorize: R,
      fail: R,
      recover: R,
      disable: R,
      enable: R,
      revoke: R,
      reconnect: 'pending',
    },
  },
};
