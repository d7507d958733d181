/** JSON pointers (RFC 6901) as the API and TypeBox use them for field paths. */

/** "/nodes/0/ssh/host" -> ["nodes", "0", "ssh", "host"]; "" -> []. */
export function parsePointer(pointer: string): string[] {
  if (!pointer || pointer === '/') return pointer === '/' ? [''] : [];
  const body = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  return body
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
