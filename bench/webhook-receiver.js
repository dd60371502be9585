// The endpoint of the bench's webhooks (--webhooks): answers every POST 200 at once and, when
// stopped (SIGTERM), prints how many it got. Its own process, so its CPU is not the bench's.
import { createServer } from 'node:http';

let received = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`webhook receiver listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => {
  process.stdout.write(`webhook receiver received ${received}\n`);
  process.exit(0);
});
