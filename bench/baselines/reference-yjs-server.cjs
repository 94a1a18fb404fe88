// Baseline: the plain reference y-websocket server, as y-websocket@2.1.0 ships it:
// bin/utils.cjs's setupWSConnection on a plain `ws` server (no TLS, no auth).
//   node bench/baselines/reference-yjs-server.cjs  -> prints `reference-yjs ready port=<p>`
const http = require('node:http');
const { WebSocketServer } = require('ws');
const { setupWSConnection } = require('y-websocket/bin/utils');

const server = http.createServer((_req, res) => { res.writeHead(200); res.end('reference y-websocket'); });
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(0, '127.0.0.1', () => console.log(`reference-yjs ready port=${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
