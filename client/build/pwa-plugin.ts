/**
 * Build-time pieces of the installable app: PNG icons drawn in code (no binary files in
 * the repository), the web manifest, and a service worker whose precache list is the
 * exact shell this build produced (index.html, hashed JS/CSS, icons). The worker never
 * touches /api, /socket.io, /yjs or /healthz: live state is never served from a cache.
 */
import { deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';
import { SHELL_CACHE_PREFIX } from '../src/state/cached-client.ts';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encode RGBA pixels as a PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

type Rgb = [number, number, number];
const BG: Rgb = [0x16, 0x18, 0x1d];
const TRACK: Rgb = [0x2b, 0x2f, 0x38];
const CAPS: Rgb[] = [[0xff, 0xa9, 0x2e], [0x3c, 0xd3, 0xe6], [0x7c, 0xe0, 0x6a]];

/** The Roomtone mark: three fader lanes with caps at different heights. */
export function drawIcon(size: number, maskable: boolean): Buffer {
  const px = new Uint8Array(size * size * 4);
  const radius = maskable ? 0 : size * 0.22;
  const inside = (x: number, y: number): boolean => {
    if (radius === 0) return true;
    const cx = x < radius ? radius : x > size - radius ? size - radius : x;
    const cy = y < radius ? radius : y > size - radius ? size - radius : y;
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
  };
  // Content lives in the safe zone (80%) for maskable icons.
  const pad = maskable ? size * 0.2 : size * 0.16;
  const area = size - 2 * pad;
  const lanes = [0.25, 0.5, 0.75];
  const capY = [0.62, 0.32, 0.48];
  const laneW = area * 0.07;
  const capW = area * 0.2;
  const capH = area * 0.1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      if (!inside(x + 0.5, y + 0.5)) { px[i + 3] = 0; continue; }
      let c: Rgb = BG;
      const u = (x - pad) / area;
      const v = (y - pad) / area;
      lanes.forEach((lx, k) => {
        const dx = Math.abs(u - lx) * area;
        if (v >= 0.05 && v <= 0.95 && dx <= laneW / 2) c = TRACK;
        const cy = capY[k]!;
        if (dx <= capW / 2 && Math.abs(v - cy) * area <= capH / 2) c = CAPS[k]!;
      });
      px[i] = c[0]; px[i + 1] = c[1]; px[i + 2] = c[2]; px[i + 3] = 255;
    }
  }
  return encodePng(size, size, px);
}

export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="#16181d"/>
<g fill="#2b2f38"><rect x="16.5" y="12" width="3" height="40"/><rect x="30.5" y="12" width="3" height="40"/><rect x="44.5" y="12" width="3" height="40"/></g>
<rect x="12" y="35" width="12" height="6" rx="1.5" fill="#ffa92e"/>
<rect x="26" y="19" width="12" height="6" rx="1.5" fill="#3cd3e6"/>
<rect x="40" y="27" width="12" height="6" rx="1.5" fill="#7ce06a"/>
</svg>
`;

const MANIFEST = {
  name: 'Roomtone',
  short_name: 'Roomtone',
  description: 'One Ableton Live set, shared by the room.',
  start_url: '/?source=pwa',
  scope: '/',
  display: 'fullscreen',
  display_override: ['fullscreen', 'standalone'],
  orientation: 'any',
  background_color: '#0e0f12',
  theme_color: '#0e0f12',
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
  ],
};

function serviceWorker(version: string, shell: string[]): string {
  return `/* Roomtone service worker: caches the app shell only (generated at build). */
const CACHE = '${SHELL_CACHE_PREFIX}${version}';
const SHELL = ${JSON.stringify(shell)};
const LIVE = ['/api/', '/socket.io/', '/yjs/', '/healthz'];
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('${SHELL_CACHE_PREFIX}') && k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || LIVE.some((p) => url.pathname.startsWith(p))) return;
  if (req.mode === 'navigate') {
    // Network first so a new build shows at once; the cached shell when the network is gone.
    event.respondWith(fetch(req).catch(() => caches.match('/index.html').then((r) => r || Response.error())));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((r) => r || fetch(req)));
  }
});
`;
}

export function roomtonePwa(): Plugin {
  return {
    name: 'roomtone-pwa',
    generateBundle(_options, bundle) {
      const emit = (fileName: string, source: string | Uint8Array): void => {
        this.emitFile({ type: 'asset', fileName, source });
      };
      emit('icons/icon-192.png', drawIcon(192, false));
      emit('icons/icon-512.png', drawIcon(512, false));
      emit('icons/maskable-512.png', drawIcon(512, true));
      emit('icons/icon.svg', ICON_SVG);
      emit('manifest.webmanifest', JSON.stringify(MANIFEST, null, 2));
      const assets = Object.keys(bundle).filter((f) => !f.endsWith('.map') && !f.endsWith('.html'));
      const shell = ['/', '/index.html', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon.svg', ...assets.map((f) => `/${f}`)];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      emit('sw.js', serviceWorker(version, [...new Set(shell)]));
    },
  };
}
