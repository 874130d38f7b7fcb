/**
 * renderer/shell/keyboard.ts: the window-wide shortcuts (renderer/palette/shortcuts.ts lists them):
 * Ctrl/Cmd+K palette, `?` help, `g` then h/e/s to navigate. Single-key shortcuts never fire while
 * the user types in a field.
 */
import { navigate } from '../app/routes.ts';
import { useUi } from '../state/ui-store.ts';

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return (
    !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName))
  );
}

export function installShortcuts(): () => void {
  let leader = 0;
  const onKey = (event: KeyboardEvent) => {
    const ui = useUi.getState();
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      ui.open(ui.overlay === 'palette' ? null : 'palette');
      return;
    }
    if (event.key === 'Escape' && ui.overlay) {
      event.preventDefault();
      ui.open(null);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || ui.overlay) return;
    if (event.key === '?') {
      event.preventDefault();
      ui.open('shortcuts');
      return;
    }
    if (event.key === 'g') {
      leader = Date.now();
      return;
    }
    if (Date.now() - leader < 1_500) {
      leader = 0;
      const to = { h: 'home', e: 'explorer', s: 'settings' }[event.key];
      if (to === 'home') navigate({ name: 'home' });
      else if (to === 'explorer') navigate({ name: 'explorer', table: null });
      else if (to === 'settings') navigate({ name: 'settings' });
      if (to) event.preventDefault();
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
