import type { IncomingMessage, ServerResponse } from 'node:http';
import forge from 'node-forge';
import { createHash } from 'node:crypto';
import type { PublicNames } from './public-names.ts';

export interface PlainHttpDeps {
  names: PublicNames;
  caCertPem: string;
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The plain-HTTP port serves only what a device needs before it trusts our CA: the CA
 * certificate, a page that explains how to trust it and links to the HTTPS join page,
 * and a redirect to HTTPS for everything else. It reads no cookie and serves no
 * application page. It never shows the join code: whoever can reach the port is not
 * necessarily in the room (H2); the code arrives typed or by the QR code the console
 * and the projector view show.
 */
export function plainHttpHandler(deps: PlainHttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(deps.caCertPem))).getBytes(), 'binary');
  const fingerprint = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
  return (req, res) => {
    const url = parse(req.url);
    if (url === null) return redirect(res, deps.names.origin(req.headers.host) + '/');
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return redirect(res, deps.names.origin(req.headers.host) + path + url.search);
    const body = (text: Buffer | string): Buffer | string | undefined => (req.method === 'HEAD' ? undefined : text);
    if (path === '/ca.crt') {
      // DER is what this MIME type means, and what iOS and Android install from.
      res.writeHead(200, { 'Content-Type': 'application/x-x509-ca-cert', 'Content-Disposition': 'attachment; filename="roomtone-ca.crt"', 'Content-Length': der.length });
      return void res.end(body(der));
    }
    if (path === '/ca.pem') {
      res.writeHead(200, { 'Content-Type': 'application/x-pem-file', 'Content-Disposition': 'attachment; filename="roomtone-ca.pem"' });
      return void res.end(body(deps.caCertPem));
    }
    if (path === '/' || path === '/join' || path === '/trust') {
      res.writeHead(200, PAGE_HEADERS);
      return void res.end(body(trustPage(deps.names.origin(req.headers.host) + '/', fingerprint)));
    }
    redirect(res, deps.names.origin(req.headers.host) + path + url.search);
  };
}

/** The request's URL, percent-encoded as URL parsing leaves it (no CR/LF can reach a header), or null. */
function parse(url: string | undefined): URL | null {
  try {
    return new URL(url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

function redirect(res: ServerResponse, location: string): void {
  // 307, not 301: browsers cache a 301 for good, and the HTTPS port may change.
  res.writeHead(307, { Location: location, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`Roomtone runs on HTTPS: ${location}\n`);
}

function trustPage(httpsUrl: string, fingerprint: string): string {
  const e = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Roomtone: trust this studio</title>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}a{color:#0645ad}code{font-size:.85em;word-break:break-all}li{margin:.4rem 0}.go{display:inline-block;padding:.6rem 1rem;border:2px solid #0645ad;border-radius:.4rem;font-weight:600;text-decoration:none}</style>
</head><body>
<main>
<h1>Join the room on this device</h1>
<p>Roomtone runs over an encrypted connection. The first time, this device needs the studio's certificate, so it can tell the real studio from anyone else on the network.</p>
<ol>
<li><a href="/ca.crt">Download the studio certificate</a> (roomtone-ca.crt).</li>
<li>Install it and turn trust on:
<ul>
<li>iPad and iPhone: Settings → General → VPN &amp; Device Management → install it; then Settings → General → About → Certificate Trust Settings → turn it on.</li>
<li>Android: Settings → Security → Encryption &amp; credentials → Install a certificate → CA certificate.</li>
<li>Chromebook: Settings → Privacy and security → Security → Manage certificates → Authorities → Import.</li>
<li>Mac: open the file, add it to the System keychain, then set it to “Always Trust”.</li>
<li>Windows: open the file → Install Certificate → Local Machine → “Trusted Root Certification Authorities”.</li>
</ul></li>
<li>Check that the fingerprint your device shows is this one (ask your teacher if it is not):<br><code>${e(fingerprint)}</code></li>
<li>Open the join page and type the join code shown in the room, or scan the QR code on the teacher's screen.</li>
</ol>
<p><a class="go" href="${e(httpsUrl)}">Open the join page</a> <span>${e(httpsUrl)}</span></p>
</main>
</body></html>`;
}
