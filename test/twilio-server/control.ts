/**
 * The control API that lets a benchmark read the figures of a server running in another process.
 * No auth: it only ever listens on a local port of a test machine.
 *
 *   GET  /_control/stats                    stats + messages, distinctTo, duplicates
 *   POST /_control/reset
 *   GET  /_control/messages?to=...          stored messages (all, or to one recipient)
 *   GET  /_control/callbacks-settled?timeoutMs=...   answers once every callback was settled
 *   GET  /_control/arrivals                 per sender, when each message arrived (ms), for pacing figures
 *   GET  /_control/counts                   created and stats only (cheap enough to poll during a run)
 *   GET  /_control/event-loop               how late this process's event loop ran (ms): arrival times are
 *                                           stamped on it, so a stall bunches them up however the sends came;
 *                                           and its garbage collection pauses
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { TwilioCompatibleServer } from './server.js';

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
// Garbage collection pauses, to tell a stall of the loop caused by this process's own heap from one
// caused by the machine (the process waiting for a core).
const gcPauses = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcPauses.count++;
    gcPauses.totalMs += entry.duration;
    gcPauses.maxMs = Math.max(gcPauses.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

export function handleControl(server: TwilioCompatibleServer, req: IncomingMessage, res: ServerResponse, path: string, query: string): void {
  const params = new URLSearchParams(query);
  const json = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  // Drain any body so keep-alive connections stay usable.
  req.resume();

  if (req.method === 'GET' && path === '/_control/stats') {
    const messages = server.messages;
    return json(200, {
      ...server.stats(),
      messages: messages.length,
      distinctTo: server.countByTo().size,
      duplicates: server.duplicates().length,
    });
  }
  if (req.method === 'GET' && path === '/_control/counts') {
    return json(200, { ...server.stats(), messages: server.messages.length });
  }
  if (req.method === 'GET' && path === '/_control/arrivals') {
    const bySender: Record<string, number[]> = {};
    for (const m of server.messages) (bySender[String(m.params.MessagingServiceSid ?? m.params.From)] ??= []).push(m.receivedAt);
    return json(200, bySender);
  }
  if (req.method === 'GET' && path === '/_control/event-loop') {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const round = (n: number) => Math.round(n * 100) / 100;
    return json(200, {
      p50: ms(loopDelay.percentile(50)),
      p99: ms(loopDelay.percentile(99)),
      max: ms(loopDelay.max),
      gc: { count: gcPauses.count, totalMs: round(gcPauses.totalMs), maxMs: round(gcPauses.maxMs) },
    });
  }
  if (req.method === 'POST' && path === '/_control/reset') {
    server.reset();
    return json(200, { ok: true });
  }
  if (req.method === 'GET' && path === '/_control/messages') {
    const to = params.get('to');
    const messages = to === null ? server.messages : server.messages.filter((m) => m.to === to);
    return json(
      200,
      messages.map((m) => ({ sid: m.sid, to: m.to, status: m.stateAt(Date.now()).status, receivedAt: new Date(m.receivedAt).toISOString(), params: m.params })),
    );
  }
  if (req.method === 'GET' && path === '/_control/callbacks-settled') {
    const timeoutMs = Number(params.get('timeoutMs') ?? 30_000);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    void Promise.race([server.whenCallbacksSettled().then(() => true), timedOut]).then((settled) => {
      clearTimeout(timer);
      json(settled ? 200 : 504, { settled, ...server.stats() });
    });
    return;
  }
  json(404, { error: `no control route ${req.method} ${path}` });
}
