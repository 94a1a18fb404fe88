// Baseline: the plain reference y-websocket server, as y-websocket@2.1.0 ships it (installed as the development alias y-websocket-v2):
// bin/utils.cjs's setupWSConnection on a `ws` server (no auth, no read-only rooms).
//   node bench/baselines/reference-yjs-server.cjs [--certs-dir <dir>]
//     -> prints `reference-yjs ready port=<p>`
// With --certs-dir it serves wss with Roomtone's own server certificate: the same
// transport browsers use to reach Roomtone, so the comparison is of the fan-out alone.
const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');
const path = require('node:path');
const { WebSocketServer } = require('ws');
const { setupWSConnection } = require('y-websocket-v2/bin/utils');

const at = process.argv.indexOf('--certs-dir');
const certsDir = at > 0 ? process.argv[at + 1] : null;
const handler = (_req, res) => { res.writeHead(200); res.end('reference y-websocket'); };
const server = certsDir
  ? https.createServer({ key: fs.readFileSync(path.join(certsDir, 'server.key')), cert: fs.readFileSync(path.join(certsDir, 'server.crt')) }, handler)
  : http.createServer(handler);
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(0, '127.0.0.1', () => console.log(`reference-yjs ready port=${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
