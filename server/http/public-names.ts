import net from 'node:net';
import { canonicalIp } from '../security/ip-binding.ts';

export interface PublicNamesSource {
  /** Host names and IP addresses this server answers to: its certificate's SANs. */
  names(): string[];
  httpsPort(): number;
  /** The name for links a device in the room opens (the LAN address when serving the LAN). */
  primary(): string;
}

/**
 * Every absolute URL and every origin the server compares is built from its own names
 * and port, never from a request's Host header, which any client can fill with
 * anything (H16: it was echoed into the CSP, redirects and the QR link, and a `;` in it
 * broke the CSP into a 500).
 */
export class PublicNames {
  constructor(private readonly source: PublicNamesSource) {}

  /** True when `host` (a Host header's name, or a URL's hostname) is one of ours. */
  isOurs(host: string): boolean {
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    const wanted = net.isIP(bare) ? canonicalIp(bare) : bare.toLowerCase().replace(/\.$/, '');
    return this.known().has(wanted);
  }

  /**
   * `https://<name>:<port>`: the request's host when it is one of ours (a tablet keeps
   * the address it used), otherwise the primary name.
   */
  origin(hostHeader?: string): string {
    const name = hostHeader === undefined ? null : hostnameOf(hostHeader);
    return `https://${authority(name !== null && this.isOurs(name) ? name : this.source.primary())}:${this.source.httpsPort()}`;
  }

  /** The same for WebSocket connections (CSP connect-src). */
  websocketOrigin(hostHeader?: string): string {
    return this.origin(hostHeader).replace(/^https:/, 'wss:');
  }

  /** An Origin header a page of ours sends: https, one of our names, our HTTPS port, nothing more. */
  isOurOrigin(origin: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // "null" (sandboxed frames, file://) and garbage
    }
    return url.protocol === 'https:' && url.origin === origin && Number(url.port || 443) === this.source.httpsPort() && this.isOurs(url.hostname);
  }

  private known(): Set<string> {
    return new Set([...this.source.names(), this.source.primary()].map((n) => (net.isIP(n) ? canonicalIp(n) : n.toLowerCase())));
  }
}

/** The name part of a Host header (`name`, `name:port`, `[v6]:port`), or null when it is none. */
function hostnameOf(header: string): string | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(header.trim());
  return match ? match[1]! : null;
}

function authority(name: string): string {
  const bare = name.startsWith('[') ? name.slice(1, -1) : name;
  return net.isIPv6(bare) ? `[${canonicalIp(bare)}]` : bare;
}
