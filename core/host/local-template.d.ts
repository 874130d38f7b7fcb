/**
 * core/host/local-template.d.ts: the module scripts/build/local-template.ts's Vite plugin provides to
 * the engine worker: the file name of the local database template the build serves beside the app.
 */
declare module 'virtual:outpost-local-template' {
  /** null in a build without a template (Electron's renderer, whose engine runs in Node). */
  export const LOCAL_TEMPLATE_FILE: string | null;
}
