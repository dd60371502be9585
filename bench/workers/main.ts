/**
 * Entry point of every bench worker process (forked by the orchestrator with tsx): waits
 * for its setup, becomes a source, a listener or the agents, and answers commands.
 */
import { createAgents } from './agents.js';
import { createListener } from './listener.js';
import type { WorkerCommand, WorkerReply } from './messages.js';
import { createSource } from './source.js';
import { createSupervisors } from './supervisors.js';

const reply = (message: WorkerReply): void => {
  process.send?.(message);
};

let handle: ((command: WorkerCommand) => Promise<void>) | undefined;

async function setup(command: Extract<WorkerCommand, { type: 'setup' }>): Promise<void> {
  const s = command.setup;
  switch (s.kind) {
    case 'source': {
      const source = createSource(s);
      handle = async (c) => {
        if (c.type === 'run') reply(await source.run(c));
      };
      reply({ type: 'ready' });
      return;
    }
    case 'listener': {
      const listener = await createListener(s);
      handle = async (c) => {
        if (c.type === 'report') reply(listener.report(c.step));
      };
      reply({ type: 'ready' });
      return;
    }
    case 'supervisors': {
      const supervisors = await createSupervisors(s);
      handle = async (c) => {
        if (c.type === 'report') reply(supervisors.report(c.step));
      };
      reply({ type: 'ready' });
      return;
    }
    case 'agents': {
      const agents = await createAgents(s);
      handle = async (c) => {
        if (c.type === 'report') reply(agents.report(c.step, c.final));
      };
      reply({ type: 'ready', ...agents.ready });
      return;
    }
  }
}

process.on('message', (command: WorkerCommand) => {
  const work = command.type === 'setup' ? setup(command) : command.type === 'stop' ? Promise.resolve(process.exit(0)) : (handle?.(command) ?? Promise.resolve());
  work.catch((error: unknown) => reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
});
process.on('disconnect', () => process.exit(0));
