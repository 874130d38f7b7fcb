/**
 * common/lifecycles/knowledge-document.ts: the lifecycle of a knowledge document's ingestion (001
 * Document: PENDING → PROCESSING → READY, plus FAILED).
 *
 *   pending ──process──► processing ──finish──► ready
 *     ▲  ▲                  │  │                  │
 *     │  └────requeue───────┘  └──fail──► failed  │
 *     │                                      │    │
 *     └──────────────reprocess───────────────┴────┘
 *
 * Nothing is final: a ready document is reprocessed when its content changes (re-chunked and
 * re-embedded), a failed one when its source is fixed. `requeue` gives back a document the worker
 * could not finish. The ingestion worker processes, finishes, fails and requeues; a person
 * reprocesses.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const KNOWLEDGE_DOCUMENT_STATES = ['pending', 'processing', 'ready', 'failed'] as const;
export const KNOWLEDGE_DOCUMENT_EVENTS = ['process', 'finish', 'fail', 'requeue', 'reprocess'] as const;
export type KnowledgeDocumentState = (typeof KNOWLEDGE_DOCUMENT_STATES)[number];
export type KnowledgeDocumentEvent = (typeof KNOWLEDGE_DOCUMENT_EVENTS)[number];

const R = REFUSED;

export const knowledgeDocumentLifecycle: Lifecycle<KnowledgeDocumentState, KnowledgeDocumentEvent> = {
  name: 'knowledge_document',
  states: KNOWLEDGE_DOCUMENT_STATES,
  events: KNOWLEDGE_DOCUMENT_EVENTS,
  table: {
    pending: { process: 'processing', finish: R, fail: R, requeue: R, reprocess: R },
    processing: { process: R, finish: 'ready', fail: 'failed', requeue: 'pending', reprocess: R },
    ready: { process: R, finish: R, fail: R, requeue: R, reprocess: 'pending' },
    failed: { process: R, finish: R, fail: R, requeue: R, reprocess: 'pending' },
  },
};
