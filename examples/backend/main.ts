/**
 * The example backend: `npm start`. Starts the application and serves until SIGTERM or SIGINT,
 * then stops the tree in order (the HTTP server drains first) and exits 0.
 *
 * Try: curl localhost:3000/tree; curl -X PUT localhost:3000/kv/a -d hello; curl localhost:3000/kv/a;
 * curl -X POST 'localhost:3000/jobs?fail=1'; curl -X POST localhost:3000/crash/kv. Port and the
 * rest of the env come from OTP_BACKEND_PORT and friends (see app.ts). The live observer page is
 * at /observer: open the URL it logs at start (`observer at …`), which carries the page's token.
 */
import { Application, Runtime } from '../../src/index.js';
import { backend } from './app.js';
import { exampleLogger } from './logger.js';

const rt = new Runtime({ logger: exampleLogger() });
await Application.main(backend, { runtime: rt, shutdownTimeout: 10_000 });
