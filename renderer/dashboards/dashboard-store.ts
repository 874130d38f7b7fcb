/**
 * renderer/dashboards/dashboard-store.ts: what the dashboards view holds across visits in this window:
 * the range (a preset, or custom days with the sentence about what is wrong with them), the bucket
 * when the user chose one, and whether the previous period is shown. The data itself comes from live
 * named queries the view follows while on screen.
 */
import { create } from 'zustand';
import type { Bucket } from '../../common/queries/dashboard-range.ts';
import type { PresetId } from './dashboard-model.ts';

export interface DashboardState {
  readonly preset: PresetId | 'custom';
  readonly customFrom: string;
  readonly customTo: string;
  /** Null: the bucket that suits the range's length (defaultBucket). */
  readonly bucket: Bucket | null;
  readonly compare: boolean;
}

export const useDashboard = create<DashboardState>()(() => ({
  preset: '30d',
  customFrom: '',
  customTo: '',
  bucket: null,
  compare: true,
}));

export function choosePreset(preset: PresetId | 'custom'): void {
  useDashboard.setState({ preset, bucket: null });
}

export function setCustomDays(change: { customFrom?: string; customTo?: string }): void {
  useDashboard.setState({ ...change, preset: 'custom' });
}

export function chooseBucket(bucket: Bucket | null): void {
  useDashboard.setState({ bucket });
}

export function toggleCompare(): void {
  useDashboard.setState((s) => ({ compare: !s.compare }));
}

/** The custom range's first field (the `r` key). */
export function focusCustomRange(): void {
  choosePreset('custom');
  requestAnimationFrame(() => document.getElementById('dashboard-from')?.focus());
}
