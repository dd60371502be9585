// The receiving side's verification snippets of README.md ("Webhooks"), taken from the README
// itself and run against a delivery the hub really made: if the docs and the signing drift apart, this fails.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWebhook } from '../../src/webhooks/manage.js';
import { seedEvents, startTestHub, until, type TestHub } from '../helpers.js';
import { startReceiver, type Receiver } from './receiver.js';

const run = promisify(execFile);
let dir: string;
let hub: TestHub;
let receiver: Receiver;
let readme: string;

const block = (lang: string, startsWith: string): string => {
  const found = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].find((m) => m[1] === lang && (m[2] ?? '').startsWith(startsWith));
  if (!found?.[2]) throw new Error(`no ${lang} block starting with ${JSON.stringify(startsWith)} in README.md`);
  return found[2];
};

beforeAll(async () => {
  readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-readme-verify-'));
  receiver = await startReceiver();
  hub = await startTestHub({ config: { webhooks: { refreshMs: 100 } } });
  await addWebhook(hub.hub.store, { url: receiver.url, events: ['up'], secret: receiver.secret });
  const { up } = await seedEvents();
  // A name with non-ASCII characters: the signature is over the UTF-8 bytes.
  await hub.ingest([{ ...up, callername: 'Zoë Müller' }]);
  await until(() => receiver.received.length === 1, 5000, 'a delivery');
  const [r] = receiver.received;
  if (!r) throw new Error('no delivery');
  await writeFile(join(dir, 'body'), r.body);
  await writeFile(join(dir, 'headers.json'), JSON.stringify(r.headers));
});
afterAll(async () => {
  await hub.stop();
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

describe('README webhook verification snippets', () => {
  it('Node: accepts the delivery, refuses another secret and a changed body', async () => {
    await writeFile(join(dir, 'verify.mjs'), block('js', '// Verify a shuttle-cti webhook (Node'));
    await writeFile(
      join(dir, 'check.mjs'),
      `import { readFileSync } from 'node:fs';
import { verifyShuttle } from './verify.mjs';
const headers = JSON.parse(readFileSync('headers.json', 'utf8'));
const body = readFileSync('body', 'utf8');
console.log([verifyShuttle(process.argv[2], headers, body), verifyShuttle('wrong-secret-0123456789', headers, body), verifyShuttle(process.argv[2], headers, body.replace('Zoë', 'Zoe'))].join(' '));`,
    );
    const { stdout } = await run(process.execPath, ['check.mjs', receiver.secret], { cwd: dir });
    expect(stdout.trim()).toBe('true false false');
  });

  it('Python: the same', async () => {
    const snippet = block('python', '# Verify a shuttle-cti webhook (Python');
    const script = `${snippet}
import json, sys
headers = json.load(open("headers.json"))
body = open("body", "rb").read()
print(verify_shuttle(sys.argv[1], headers, body), verify_shuttle("wrong-secret-0123456789", headers, body), verify_shuttle(sys.argv[1], headers, body.replace("Zoë".encode(), b"Zoe")))
`;
    await writeFile(join(dir, 'verify.py'), script);
    const { stdout } = await run('python3', ['verify.py', receiver.secret], { cwd: dir });
    expect(stdout.trim()).toBe('True False False');
  });
});
