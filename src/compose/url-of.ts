/** The URL a client on this machine reaches a server listening on `host`:`port` at. */
export function urlOf(host: string, port: number): string {
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return `http://${bracketed === '0.0.0.0' ? '127.0.0.1' : bracketed}:${port}`;
}
