/**
 * renderer/workspaces/draft-writer.ts: how the editor's text reaches the local drafts without a write
 * per keystroke: edits of a file are kept (drafts.keep, its unsaved buffer) once typing pauses for
 * `delayMs`; a save (drafts.save) cancels the pending keep of that file and runs after any keep already
 * under way, so the writes of one file never overtake each other.
 *
 *   edit ─► schedule(path, text) ─(delayMs quiet)─► keep(path, text) ─┐ one chain per path
 *   Mod+S ─► save(path, text) ── drops the pending keep ──────────────┴─► save(path, text)
 *   flush() ─► every pending keep now (before a changeset is made, or the view closes)
 *
 * Guarantees: at most one keep per file per pause, with the latest text; nothing here touches the
 * outbox (drafts are local: core/workspaces/drafts.ts); a failed keep is reported to `onError`, a
 * failed save rejects its promise, and neither stops later writes. No React, no engine: the writes are parameters, so it is tested with fakes.
 */

export interface DraftWrites {
  keep(path: string, text: string): Promise<void>;
  save(path: string, text: string): Promise<void>;
}

export class DraftWriter {
  private readonly pending = new Map<string, { text: string; timer: ReturnType<typeof setTimeout> }>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly writes: DraftWrites,
    private readonly onError: (path: string, error: unknown) => void,
    private readonly delayMs = 500,
  ) {}

  /** The editor's text of `path` changed: keep it once typing pauses. */
  schedule(path: string, text: string): void {
    const earlier = this.pending.get(path);
    if (earlier) clearTimeout(earlier.timer);
    const timer = setTimeout(() => void this.keepNow(path), this.delayMs);
    this.pending.set(path, { text, timer });
  }

  /** Saves `text` as `path`'s draft (after the writes of `path` already under way); rejects when it fails. */
  save(path: string, text: string): Promise<void> {
    this.cancel(path);
    const run = this.after(path).then(() => this.writes.save(path, text));
    this.track(
      path,
      run.catch(() => undefined),
    );
    return run;
  }

  /** Keeps every pending edit now; resolves when all writes so far are done. */
  async flush(): Promise<void> {
    for (const path of [...this.pending.keys()]) void this.keepNow(path);
    await Promise.all(this.chains.values());
  }

  /** Forgets the pending keep of `path` (a closed tab whose text is dropped). */
  cancel(path: string): void {
    const pending = this.pending.get(path);
    if (pending) clearTimeout(pending.timer);
    this.pending.delete(path);
  }

  private keepNow(path: string): Promise<void> {
    const pending = this.pending.get(path);
    if (!pending) return this.after(path);
    this.cancel(path);
    const run = this.after(path)
      .then(() => this.writes.keep(path, pending.text))
      .catch((error: unknown) => this.onError(path, error));
    this.track(path, run);
    return run;
  }

  private after(path: string): Promise<void> {
    return this.chains.get(path) ?? Promise.resolve();
  }

  private track(path: string, run: Promise<void>): void {
    this.chains.set(path, run);
    void run.then(() => {
      if (this.chains.get(path) === run) this.chains.delete(path);
    });
  }
}
