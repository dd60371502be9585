import type { IntegrationKind } from './prepared.js';

/** `event.up = ...` or `event['up'] = ...`, as handlers-only scripts of the original service do. */
const assignsEventHandler = /(?:^|[\s;{(,])event\s*(?:\.\s*[A-Za-z_$][\w$]*|\[\s*(['"])[^'"]+\1\s*\])\s*=(?!=)/m;
/** An ES or CommonJS module exports something; a legacy script never does. */
const moduleSyntax = /^\s*(?:import|export)\b|\bmodule\.exports\b|^\s*exports\.[\w$]+\s*=/m;

/**
 * What kind of integration a file is: a rules file (YAML), a legacy handlers-only script
 * (`--legacy`, or a script that assigns `event.<name>` and exports nothing), or a module.
 */
export function detectKind(file: string, source: string, forceLegacy = false): IntegrationKind {
  if (/\.ya?ml$/i.test(file)) return 'rules';
  if (forceLegacy) return 'legacy';
  if (/\.(?:[cm]?ts|tsx)$/i.test(file)) return 'module';
  return assignsEventHandler.test(source) && !moduleSyntax.test(source) ? 'legacy' : 'module';
}
