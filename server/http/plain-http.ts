import type { IncomingMessage, ServerResponse } from 'node:http';
import forge from 'node-forge';
import QRCode from 'qrcode';
import { lanAddress } from '../util/lan-address.ts';

export interface PlainHttpDeps {
  httpsPort: () => number;
  joinCode: () => string;
  caCertPem: string;
}

/**
 * The plain-HTTP port serves only what a device needs before it trusts our CA: the CA
 * certificate, a join page with a QR code to the HTTPS join URL, and a redirect to
 * HTTPS for everything else. It serves no application page and reads no cookie.
 * The join code is shown on purpose: whoever is in the room may join it.
 */
export function plainHttpHandler(deps: PlainHttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(deps.caCertPem))).getBytes(), 'binary');
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const host = reachableHost(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return redirect(res, `https://${host}:${deps.httpsPort()}${url.pathname}${url.search}`);
    }
    if (url.pathname === '/ca.crt') {
      // DER is what this MIME type means, and what iOS and Android install from.
      res.writeHead(200, { 'Content-Type': 'application/x-x509-ca-cert', 'Content-Disposition': 'attachment; filename="roomtone-ca.crt"', 'Content-Length': der.length });
      return void res.end(req.method === 'HEAD' ? undefined : der);
    }
    if (url.pathname === '/ca.pem') {
      res.writeHead(200, { 'Content-Type': 'application/x-pem-file', 'Content-Disposition': 'attachment; filename="roomtone-ca.pem"' });
      return void res.end(req.method === 'HEAD' ? undefined : deps.caCertPem);
    }
    if (url.pathname === '/' || url.pathname === '/join') {
      const joinUrl = `https://${host}:${deps.httpsPort()}/?code=${encodeURIComponent(deps.joinCode())}`;
      void joinPage(joinUrl, deps.joinCode()).then((html) => {
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          'Content-Security-Policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
        });
        res.end(req.method === 'HEAD' ? undefined : html);
      }, () => { res.writeHead(500); res.end(); });
      return;
    }
    redirect(res, `https://${host}:${deps.httpsPort()}${url.pathname}${url.search}`);
  };
}

/** The host the device used to reach us, unless it is loopback; then a LAN address. */
export function reachableHost(req: Pick<IncomingMessage, 'headers'>): string {
  const raw = req.headers.host ?? '';
  const host = raw.startsWith('[') ? raw.slice(0, raw.indexOf(']') + 1) : raw.replace(/:\d+$/, '');
  if (host && /^[a-z0-9.\-[\]:]+$/i.test(host) && !/^(localhost|127\.|\[::1\])/i.test(host)) return host;
  return lanAddress() ?? (host || 'localhost');
}

function redirect(res: ServerResponse, location: string): void {
  // 307, not 301: browsers cache a 301 for good, and the HTTPS port may change.
  res.writeHead(307, { Location: location, 'Content-Type': 'text/plain' });
  res.end(`Roomtone runs on HTTPS: ${location}\n`);
}

async function joinPage(joinUrl: string, code: string): Promise<string> {
  const qr = await QRCode.toDataURL(joinUrl, { margin: 1, width: 320, errorCorrectionLevel: 'M' });
  const e = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Join Roomtone</title>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#111}img{width:16rem;height:16rem;image-rendering:pixelated}code{font-size:1.4em}ol li{margin:.5rem 0}</style>
</head><body>
<h1>Join the room</h1>
<p><img src="${qr}" alt="QR code for ${e(joinUrl)}"></p>
<p>Join code <code>${e(code)}</code> · <a href="${e(joinUrl)}">${e(joinUrl)}</a></p>
<h2>First time on this device?</h2>
<ol>
<li>Download the room's certificate: <a href="/ca.crt">roomtone-ca.crt</a>.</li>
<li>Install it and trust it (iPad: Settings → General → VPN &amp; Device Management, then Settings → General → About → Certificate Trust Settings).</li>
<li>Scan the code or open the link above.</li>
</ol>
</body></html>`;
}
