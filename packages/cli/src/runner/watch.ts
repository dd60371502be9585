import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

const watched = /\.(?:[cm]?[jt]s|tsx|ya?ml|json)$/i;

/**
 * Calls `onChange` once after a burst of changes to the script's folder (editors save in
 * several steps, often by writing a new file and renaming it over the old one, which is why
 * the folder is watched rather than the file). Only script-like files count.
 */
export function watchScript(file: string, onChange: () => void, settleMs = 150): { close(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watcher: FSWatcher = watch(dirname(file), (_type, name) => {
    if (name !== null && !watched.test(name)) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, settleMs);
  });
  return {
    close() {
      if (timer !== undefined) clearTimeout(timer);
      watcher.close();
    },
  };
}
