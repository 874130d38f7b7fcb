/**
 * common/lifecycles/knowledge-gap.ts: the lifecycle of a knowledge gap (002 knowledgeGaps: a cluster
 * of questions the knowledge base does not answer).
 *
 *   open ──address──► addressed ──reopen──► open
 *     │
 *     └──dismiss──► dismissed ──reopen──► open
 *
 * Nothing is final: the clustering job reopens a gap when its questions come back, and a person can
 * too. A person addresses or dismisses a gap.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const KNOWLEDGE_GAP_STATES = ['open', 'addressed', 'dismissed'] as const;
export const KNOWLEDGE_GAP_EVENTS = ['address', 'dismiss', 'reopen'] as const;
export type KnowledgeGapState = (typeof KNOWLEDGE_GAP_STATES)[number];
export type KnowledgeGapEvent = (typeof KNOWLEDGE_GAP_EVENTS)[number];

const R = REFUSED;

export const knowledgeGapLifecycle: Lifecycle<KnowledgeGapState, KnowledgeGapEvent> = {
  name: 'knowledge_gap',
  states: KNOWLEDGE_GAP_STATES,
  events: KNOWLEDGE_GAP_EVENTS,
  table: {
    open: { address: 'addressed', dismiss: 'dismissed', reopen: R },
    addressed: { address: R, dismiss: R, reopen: 'open' },
    dismissed: { address: R, dismiss: R, reopen: 'open' },
  },
};
