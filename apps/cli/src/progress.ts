/**
 * Follows a job live from its event stream (GET /jobs/{id}/events, Server-Sent Events:
 * `progress`, `log`, `status`, `end` with the final job): a progress bar on a terminal, plain
 * lines otherwise, on stderr (stdout keeps the result, and with --json only JSON). When the
 * stream cannot be opened or drops, it polls GET /jobs/{id} until the job ends.
 */
import type { Job, JobLogLine } from '@kpki/shared';
import { isJobFinished } from '@kpki/shared/api/jobs';
import { Api, seg } from './api.ts';

export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

const BAR = 28;

export class ProgressView {
  private shown = false;
  private last = '';
  constructor(private readonly out: Output, private readonly label: string, private readonly quietLog = false) {}

  progress(done: number, total: number) {
    if (this.out.isTTY) {
      const filled = total > 0 ? Math.round((done / total) * BAR) : 0;
      this.out.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${done}/${total}`);
      this.shown = true;
    } else {
      const line = `${this.label}: ${done}/${total}`;
      if (line !== this.last) this.out.write(`${line}\n`);
      this.last = line;
    }
  }

  log(line: JobLogLine) {
    if (this.quietLog && line.level === 'info') return;
    const text = `${line.level === 'info' ? '' : `${line.level}: `}${line.node ? `${line.node}: ` : ''}${line.message}`;
    if (this.out.isTTY && this.shown) this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
  }

  end() {
    if (this.out.isTTY && this.shown) this.out.write('\n');
    this.shown = false;
  }
}

/** Parses a text/event-stream body into {event, data} records. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const record = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of record.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
    }
  }
}

/** Waits for the job to end, showing its progress and log; answers the final job. */
export async function followJob(api: Api, jobId: string, view: ProgressView): Promise<Job> {
  try {
    const res = await api.request('GET', `/jobs/${seg(jobId)}/events`, { accept: 'text/event-stream' });
    if (res.body) {
      for await (const e of events(res.body)) {
        const data = JSON.parse(e.data);
        if (e.event === 'progress') view.progress(data.done, data.total);
        else if (e.event === 'log') view.log(data as JobLogLine);
        else if (e.event === 'end') {
          view.end();
          return data as Job;
        }
      }
    }
  } catch {
    /* no stream (e.g. too many open): poll below */
  }
  for (;;) {
    const job = await api.get<Job>(`/jobs/${seg(jobId)}`);
    view.progress(job.progress.done, job.progress.total);
    if (isJobFinished(job.status)) {
      view.end();
      return job;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
