/** Measures whether the event loop stayed free while some work ran. */
import { cpuUsage } from 'node:process';
import { performance } from 'node:perf_hooks';

export interface LoopStats {
  /** longest gap (ms) between ticks of a 5 ms interval: includes time the OS did not run this thread */
  maxLagMs: number;
  /** when the longest gap ended (epoch ms) */
  maxLagEndedAt: number;
  /**
   * CPU time this process used during the longest gap (all its threads, ms): about the gap
   * itself when this process blocked its loop, far less when the OS ran other processes instead
   */
  maxLagCpuMs: number;
  /**
   * event-loop utilization over the work (0..1): the share of time the loop ran JavaScript or
   * callbacks instead of waiting for I/O. Unlike the lag it does not grow when other processes
   * load the CPU, so it tells blocking work apart from a busy machine.
   */
  utilization: number;
}

export async function eventLoopStats(work: () => Promise<unknown>): Promise<LoopStats> {
  let last = performance.now();
  let lastCpu = cpuUsage();
  let maxLagMs = 0;
  let maxLagEndedAt = 0;
  let maxLagCpuMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = cpuUsage(lastCpu);
    if (now - last > maxLagMs) {
      maxLagMs = now - last;
      maxLagEndedAt = Date.now();
      maxLagCpuMs = (cpu.user + cpu.system) / 1000;
    }
    last = now;
    lastCpu = cpuUsage();
  }, 5);
  const start = performance.eventLoopUtilization();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const { utilization } = performance.eventLoopUtilization(start);
  return { maxLagMs, maxLagEndedAt, maxLagCpuMs, utilization };
}
