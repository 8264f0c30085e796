// A TCP port nothing listens on right now: bound once on loopback for the kernel's pick, then released. To listen
// on (a service about to start), or to connect to as a service that is stopped (connecting is refused).
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
