/**
 * The group commit of status callbacks, with the database replaced by promises the test settles: which
 * callbacks go together, and when `drain` (what a stopping API waits for) resolves.
 */
import { describe, expect, it } from 'vitest';
import { StatusCallbackWriter, type StatusCallback } from '../../src/webhooks/status-callbacks.js';

/** An `apply` whose commits stay open until the test ends them, one by one. */
function heldCommits() {
  const commits: Array<{ callbacks: StatusCallback[]; end: (err?: Error) => void }> = [];
  const apply = (callbacks: StatusCallback[]) =>
    new Promise<void>((resolve, reject) => commits.push({ callbacks, end: (err) => (err ? reject(err) : resolve()) }));
  return { commits, apply };
}

const callback = (sid: string): StatusCallback => ({ deliveryId: '1', sid, status: 'delivered' });
const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};

describe('the group commit of status callbacks', () => {
  it('writes a full group at once, and the rest after the delay, each caller answered by its own commit', async () => {
    const { commits, apply } = heldCommits();
    const writer = new StatusCallbackWriter(apply, 2, 5);
    const answers = ['SM1', 'SM2', 'SM3'].map((sid) => writer.write(callback(sid)));
    expect(commits.map((c) => c.callbacks.map((cb) => cb.sid))).toEqual([['SM1', 'SM2']]);
    await new Promise((r) => setTimeout(r, 20));
    expect(commits.map((c) => c.callbacks.map((cb) => cb.sid))).toEqual([['SM1', 'SM2'], ['SM3']]);
    commits[1]!.end(new Error('deadlock'));
    await expect(answers[2]).rejects.toThrow('deadlock');
    expect(await settled(answers[0]!)).toBe(false);
    commits[0]!.end();
    await expect(Promise.all(answers.slice(0, 2))).resolves.toBeDefined();
  });

  it('drains only when every group handed in is committed, however their commits interleave', async () => {
    const { commits, apply } = heldCommits();
    const writer = new StatusCallbackWriter(apply, 1, 5);
    void writer.write(callback('SM1'));
    void writer.write(callback('SM2'));
    const drained = writer.drain();
    commits[0]!.end();
    expect(await settled(drained)).toBe(false);
    // A callback arriving while the API stops is part of what it waits for.
    void writer.write(callback('SM3'));
    commits[1]!.end();
    expect(await settled(drained)).toBe(false);
    commits[2]!.end();
    expect(await settled(drained)).toBe(true);
  });

  it('drains at once when nothing is waiting', async () => {
    const writer = new StatusCallbackWriter(heldCommits().apply);
    expect(await settled(writer.drain())).toBe(true);
  });
});
