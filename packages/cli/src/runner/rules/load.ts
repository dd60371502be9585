import { callEventNames, notificationTypes, transferModes, wakeupModes, type CallEventName } from '@shuttle-cti/protocol';
import { LineCounter, parseDocument } from 'yaml';
import { ScriptError } from '../script-error.js';
import { formatPath, locate, type Path } from './locate.js';
import { compileTemplate, type Template } from './template.js';

export type Condition =
  | { op: 'equals'; value: string }
  | { op: 'oneOf'; values: string[] }
  | { op: 'prefix'; value: string }
  | { op: 'regex'; value: RegExp }
  | { op: 'exists'; value: boolean };

export type Action =
  | { kind: 'wakeup'; url: Template; peer: Template; mode: (typeof wakeupModes)[number] }
  | { kind: 'notification'; peer: Template; type: (typeof notificationTypes)[number]; title: Template; body: Template }
  | { kind: 'pushevent'; appname: Template; reference: Template; url: Template | undefined }
  // Call control (protocol 1.2).
  | { kind: 'dial'; peer: Template; number: Template }
  | { kind: 'hangup'; uniqueid: Template }
  | { kind: 'transfer'; uniqueid: Template; to: Template; mode: (typeof transferModes)[number] }
  | { kind: 'pause'; peer: Template; paused: boolean; reason: Template | undefined; queue: Template | undefined };

export interface Rule {
  name: string;
  on: CallEventName[];
  when: { field: string[]; conditions: Condition[] }[];
  actions: Action[];
  stop: boolean;
}

export interface RuleSet {
  name: string;
  rules: Rule[];
}

const operators = ['equals', 'oneOf', 'prefix', 'regex', 'exists'] as const;
const actionKinds = ['wakeup', 'notification', 'pushevent', 'dial', 'hangup', 'transfer', 'pause'] as const;

class Invalid extends Error {
  constructor(
    readonly path: Path,
    message: string,
    readonly atKey = false,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalarValue = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function only(obj: Obj, path: Path, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new Invalid([...path, key], `unknown key "${key}" in ${what} (allowed: ${allowed.join(', ')})`, true);
  }
}

function text(obj: Obj, key: string, path: Path, options: { required: boolean; url?: boolean; fallback?: string }): Template | undefined {
  const value = obj[key] ?? options.fallback;
  if (value === undefined) {
    if (options.required) throw new Invalid(path, `"${key}" is required`);
    return undefined;
  }
  if (!isScalarValue(value)) throw new Invalid([...path, key], `"${key}" must be text`);
  let template: Template;
  try {
    template = compileTemplate(String(value), { url: options.url ?? false });
  } catch (error) {
    throw new Invalid([...path, key], (error as Error).message);
  }
  if (options.url && !template.source.startsWith('{{') && !/^https?:\/\//i.test(template.prefix)) {
    throw new Invalid([...path, key], `"${key}" must start with http:// or https:// (got "${template.source}")`);
  }
  return template;
}

/** A field that must be there (or have a fallback): `text` throws when it is missing. */
function requiredText(obj: Obj, key: string, path: Path, options: { url?: boolean; fallback?: string } = {}): Template {
  const template = text(obj, key, path, { ...options, required: true });
  if (template === undefined) throw new Invalid(path, `"${key}" is required`);
  return template;
}

function nameOf(value: unknown, path: Path): string {
  if (!isScalarValue(value)) throw new Invalid(path, 'a name is text');
  return String(value);
}

function oneOfList<T extends string>(value: unknown, allowed: readonly T[], path: Path, what: string, fallback: T): T {
  if (value === undefined) return fallback;
  const known = allowed.find((a) => a === value);
  if (known === undefined) throw new Invalid(path, `${what} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return known;
}

function regexOf(value: unknown, path: Path): RegExp {
  if (typeof value !== 'string') throw new Invalid(path, 'regex must be text');
  const slashed = /^\/(.*)\/([a-z]*)$/s.exec(value);
  try {
    return slashed ? new RegExp(slashed[1] ?? '', slashed[2]) : new RegExp(value);
  } catch (error) {
    throw new Invalid(path, `invalid regular expression: ${(error as Error).message}`);
  }
}

function conditionsOf(value: unknown, path: Path): Condition[] {
  if (isScalarValue(value)) return [{ op: 'equals', value: String(value) }];
  if (Array.isArray(value)) {
    if (value.length === 0 || !value.every(isScalarValue)) throw new Invalid(path, 'a list means "one of" and needs one or more plain values');
    return [{ op: 'oneOf', values: value.map(String) }];
  }
  if (!isObj(value)) throw new Invalid(path, `a condition is a value, a list, or an operator (${operators.join(', ')})`);
  const keys = Object.keys(value);
  if (keys.length === 0) throw new Invalid(path, `a condition needs an operator: ${operators.join(', ')}`);
  return keys.map((op): Condition => {
    const v = value[op];
    const at = [...path, op];
    switch (op) {
      case 'equals':
        if (!isScalarValue(v)) throw new Invalid(at, 'equals needs a plain value');
        return { op, value: String(v) };
      case 'oneOf':
        if (!Array.isArray(v) || v.length === 0 || !v.every(isScalarValue)) throw new Invalid(at, 'oneOf needs a list of plain values');
        return { op, values: v.map(String) };
      case 'prefix':
        if (!isScalarValue(v)) throw new Invalid(at, 'prefix needs text');
        return { op, value: String(v) };
      case 'regex':
        return { op, value: regexOf(v, at) };
      case 'exists':
        if (typeof v !== 'boolean') throw new Invalid(at, 'exists needs true or false');
        return { op, value: v };
      default:
        throw new Invalid(at, `unknown operator "${op}" (use ${operators.join(', ')})`, true);
    }
  });
}

function actionOf(value: unknown, path: Path, appname: string): Action {
  if (!isObj(value) || Object.keys(value).length !== 1) {
    throw new Invalid(path, `each action is one of ${actionKinds.join(', ')}, e.g. "- wakeup: { url: https://crm.example/?phone={{callernum}} }"`);
  }
  const kind = Object.keys(value)[0] as string;
  const body = value[kind];
  const at = [...path, kind];
  if (!(actionKinds as readonly string[]).includes(kind)) {
    throw new Invalid(at, `unknown action "${kind}" (use ${actionKinds.join(', ')})`, true);
  }
  if (!isObj(body)) throw new Invalid(at, `${kind} needs its settings, e.g. url, peer`);
  const peer = (): Template => requiredText(body, 'peer', at, { fallback: '{{peer}}' });
  switch (kind) {
    case 'wakeup':
      only(body, at, ['url', 'peer', 'mode'], 'wakeup');
      return {
        kind,
        url: requiredText(body, 'url', at, { url: true }),
        peer: peer(),
        mode: oneOfList(body['mode'], wakeupModes, [...at, 'mode'], 'mode', 'new_tab'),
      };
    case 'notification':
      only(body, at, ['peer', 'type', 'title', 'body'], 'notification');
      return {
        kind,
        peer: peer(),
        type: oneOfList(body['type'], notificationTypes, [...at, 'type'], 'type', 'info'),
        title: requiredText(body, 'title', at),
        body: requiredText(body, 'body', at, { fallback: '' }),
      };
    case 'dial':
      only(body, at, ['peer', 'number'], 'dial');
      return { kind, peer: peer(), number: requiredText(body, 'number', at) };
    case 'hangup':
      only(body, at, ['uniqueid'], 'hangup');
      return { kind, uniqueid: requiredText(body, 'uniqueid', at, { fallback: '{{uniqueid}}' }) };
    case 'transfer':
      only(body, at, ['uniqueid', 'to', 'mode'], 'transfer');
      return {
        kind,
        uniqueid: requiredText(body, 'uniqueid', at, { fallback: '{{uniqueid}}' }),
        to: requiredText(body, 'to', at),
        mode: oneOfList(body['mode'], transferModes, [...at, 'mode'], 'mode', 'blind'),
      };
    case 'pause': {
      only(body, at, ['peer', 'paused', 'reason', 'queue'], 'pause');
      const paused = body['paused'] ?? true;
      if (typeof paused !== 'boolean') throw new Invalid([...at, 'paused'], 'paused must be true or false');
      return { kind, peer: peer(), paused, reason: text(body, 'reason', at, { required: false }), queue: text(body, 'queue', at, { required: false }) };
    }
    default:
      only(body, at, ['appname', 'reference', 'url'], 'pushevent');
      return {
        kind: 'pushevent',
        appname: requiredText(body, 'appname', at, { fallback: appname }),
        reference: requiredText(body, 'reference', at, { fallback: '{{uniqueid}}' }),
        url: text(body, 'url', at, { required: false, url: true }),
      };
  }
}

function ruleOf(value: unknown, path: Path, appname: string): Rule {
  if (!isObj(value)) throw new Invalid(path, 'each rule is a mapping with "on" and "do"');
  only(value, path, ['name', 'on', 'when', 'do', 'stop'], 'a rule');
  const index = path[path.length - 1];
  const name = value['name'] === undefined ? `rule ${String(index)}` : nameOf(value['name'], [...path, 'name']);
  const onValue = value['on'];
  if (onValue === undefined) throw new Invalid(path, `"on" is required: the event(s) the rule reacts to (${callEventNames.join(', ')})`);
  const on = (Array.isArray(onValue) ? onValue : [onValue]).map((e: unknown, i) => {
    const known = callEventNames.find((n) => n === e);
    if (known === undefined) {
      throw new Invalid(Array.isArray(onValue) ? [...path, 'on', i] : [...path, 'on'], `unknown event ${JSON.stringify(e)} (use ${callEventNames.join(', ')})`);
    }
    return known;
  });
  const whenValue = value['when'] ?? {};
  if (!isObj(whenValue)) throw new Invalid([...path, 'when'], '"when" maps fields to conditions, e.g. "queue: Sales"');
  const when = Object.entries(whenValue).map(([field, condition]) => {
    if (!/^[A-Za-z_][\w-]*(?:\.[\w-]+)*$/.test(field)) throw new Invalid([...path, 'when', field], `"${field}" is not a field name`, true);
    return { field: field.split('.'), conditions: conditionsOf(condition, [...path, 'when', field]) };
  });
  const doValue = value['do'];
  if (!Array.isArray(doValue) || doValue.length === 0) throw new Invalid([...path, 'do'], '"do" needs a list of one or more actions (wakeup, notification, pushevent)');
  const actions = doValue.map((a: unknown, i) => actionOf(a, [...path, 'do', i], appname));
  const stop = value['stop'];
  if (stop !== undefined && typeof stop !== 'boolean') throw new Invalid([...path, 'stop'], 'stop must be true or false');
  return { name, on, when, actions, stop: stop === true };
}

/**
 * Parses and checks a rules file. Any problem is a ScriptError with the line and column
 * and a message saying what is wrong; nothing is half-loaded.
 */
export function loadRules(file: string, source: string, defaultName: string): RuleSet {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    throw new ScriptError(file, pos?.line, pos?.col, `not valid YAML: ${(yamlError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const data: unknown = doc.toJS();
  try {
    if (!isObj(data)) throw new Invalid([], 'a rules file is a mapping with a "rules" list');
    only(data, [], ['name', 'rules'], 'the rules file');
    const name = data['name'] === undefined ? defaultName : nameOf(data['name'], ['name']);
    const rules = data['rules'];
    if (!Array.isArray(rules) || rules.length === 0) throw new Invalid(['rules'], '"rules" needs a list of one or more rules');
    return { name, rules: rules.map((r: unknown, i) => ruleOf(r, ['rules', i], name)) };
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const pos = locate(doc, counter, error.path, error.atKey);
    const where = error.path.length > 0 ? `${formatPath(error.path)}: ` : '';
    throw new ScriptError(file, pos.line, pos.col, `${where}${error.message}`);
  }
}
