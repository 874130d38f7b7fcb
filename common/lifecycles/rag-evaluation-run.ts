/**
 * common/lifecycles/rag-evaluation-run.ts: the lifecycle of a RAG evaluation run (002
 * ragEvaluationRuns: RAGAS metrics over a test set).
 *
 *   pending ──start──► running ──complete──► completed
 *     │                  │ ──fail──► failed
 *     └──cancel──► cancelled ◄──cancel──┘
 *
 * completed, failed and cancelled are final: a run is a measurement, so measuring again is a new run.
 * The evaluator starts, completes and fails runs; a person may cancel one.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const RAG_EVALUATION_RUN_STATES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export const RAG_EVALUATION_RUN_EVENTS = ['start', 'complete', 'fail', 'cancel'] as const;
export type RagEvaluationRunState = (typeof RAG_EVALUATION_RUN_STATES)[number];
export type RagEvaluationRunEvent = (typeof RAG_EVALUATION_RUN_EVENTS)[number];

const R = REFUSED;

export const ragEvaluationRunLifecycle: Lifecycle<RagEvaluationRunState, RagEvaluationRunEvent> = {
  name: 'rag_evaluation_run',
  states: RAG_EVALUATION_RUN_STATES,
  events: RAG_EVALUATION_RUN_EVENTS,
  table: {
    pending: { start: 'running', complete: R, fail: R, cancel: 'cancelled' },
    running: { start: R, complete: 'completed', fail: 'failed', cancel: 'cancelled' },
    completed: { start: R, complete: R, fail: R, cancel: R },
    failed: { start: R, complete: R, fail: R, cancel: R },
    cancelled: { start: R, complete: R, fail: R, cancel: R },
  },
};
