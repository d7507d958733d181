/** Reads a .tar.gz answer (bundles) into name -> mode and content. */
import zlib from 'node:zlib';
import tar from 'tar-stream';

export async function untar(buf: Buffer): Promise<Map<string, { mode: number; content: string }>> {
  const files = new Map<string, { mode: number; content: string }>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
      stream.on('end', () => {
        files.set(header.name, { mode: header.mode!, content: Buffer.concat(chunks).toString() });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(zlib.gunzipSync(buf));
  await done;
  return files;
}
