/**
 * common/lifecycles/mcp-connector.ts: the lifecycle of an MCP connector (000 mcp_connectors).
 *
 *   active ──fail──► error ──recover──► active
 *     │                │
 *     └──deactivate──► inactive ◄──deactivate──┘
 *                        │
 *                        └──activate──► active
 *
 * Nothing is final. Tool discovery and calls fail and recover a connector; a person activates and
 * deactivates it.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const MCP_CONNECTOR_STATES = ['active', 'error', 'inactive'] as const;
export const MCP_CONNECTOR_EVENTS = ['fail', 'recover', 'deactivate', 'activate'] as const;
export type McpConnectorState = (typeof MCP_CONNECTOR_STATES)[number];
export type McpConnectorEvent = (typeof MCP_CONNECTOR_EVENTS)[number];

const R = REFUSED;

export const mcpConnectorLifecycle: Lifecycle<McpConnectorState, McpConnectorEvent> = {
  name: 'mcp_connector',
  states: MCP_CONNECTOR_STATES,
  events: MCP_CONNECTOR_EVENTS,
  table: {
    active: { fail: 'error', recover: R, deactivate: 'inactive', activate: R },
    error: { fail: R, recover: 'active', deactivate: 'inactive', activate: R },
    inactive: { fail: R, recover: R, deactivate: R, activate: 'active' },
  },
};
