import { beforeEach, describe, expect, it } from 'vitest';
import { Heartbeat } from '../../src/heartbeat';
import { FakeTimers } from './fake_timers';

let timers: FakeTimers;
let pings: number[];
let deaths: number[];
let socketUp: boolean;

function begin(hb: Heartbeat): void {
  hb.start(
    () => {
      if (!socketUp) return false;
      pings.push(timers.now());
      return true;
    },
    () => deaths.push(timers.now()),
  );
}

beforeEach(() => {
  timers = new FakeTimers();
  pings = [];
  deaths = [];
  socketUp = true;
});

describe('Heartbeat', () => {
  it('pings at half the period, clamped to [1 s, 15 s]', () => {
    const hb = new Heartbeat(timers);
    expect(hb.pingIntervalMs()).toBe(15_000); // the default 30 s period
    hb.setPeriod(4_000);
    expect(hb.pingIntervalMs()).toBe(2_000);
    hb.setPeriod(500);
    expect(hb.pingIntervalMs()).toBe(1_000);
    hb.setPeriod(3_601);
    expect(hb.pingIntervalMs()).toBe(1_800);
    hb.setPeriod(120_000);
    expect(hb.pingIntervalMs()).toBe(15_000);
    expect(new Heartbeat(timers, { defaultPeriodMs: 6_000 }).pingIntervalMs()).toBe(3_000);
  });

  it('waits at most 10 s, or one ping interval, for an answer unless told otherwise', () => {
    const hb = new Heartbeat(timers, { defaultPeriodMs: 4_000 });
    expect(hb.pongTimeoutMs()).toBe(2_000);
    hb.setPeriod(30_000);
    expect(hb.pongTimeoutMs()).toBe(10_000);
    expect(new Heartbeat(timers, { pongTimeoutMs: 750 }).pongTimeoutMs()).toBe(750);
  });

  it('keeps pinging while frames come back', () => {
    const hb = new Heartbeat(timers, { defaultPeriodMs: 4_000 });
    begin(hb);
    for (let i = 0; i < 5; i++) {
      timers.advance(2_000);
      hb.alive();
    }
    expect(pings).toEqual([2_000, 4_000, 6_000, 8_000, 10_000]);
    expect(deaths).toEqual([]);
  });

  it('declares the socket dead when nothing answers a ping in time', () => {
    const hb = new Heartbeat(timers, { defaultPeriodMs: 4_000 });
    begin(hb);
    timers.advance(2_000);
    expect(pings).toEqual([2_000]);
    timers.advance(1_999);
    expect(deaths).toEqual([]);
    timers.advance(1);
    expect(deaths).toEqual([4_000]);
  });

  it('a later ping does not push the deadline of an unanswered one back', () => {
    const hb = new Heartbeat(timers, { defaultPeriodMs: 4_000, pongTimeoutMs: 3_000 });
    begin(hb);
    timers.advance(4_000); // pings at 2 s and 4 s, the first still unanswered
    expect(pings).toEqual([2_000, 4_000]);
    timers.advance(1_000);
    expect(deaths).toEqual([5_000]);
  });

  it('ends the cycle when the socket is gone, and stop() cancels everything', () => {
    const hb = new Heartbeat(timers, { defaultPeriodMs: 4_000 });
    begin(hb);
    socketUp = false;
    timers.advance(60_000);
    expect(pings).toEqual([]);
    expect(timers.pendingCount).toBe(0);

    socketUp = true;
    begin(hb);
    timers.advance(2_000);
    expect(timers.pendingCount).toBe(2); // the next ping and the pong deadline
    hb.stop();
    expect(timers.pendingCount).toBe(0);
    timers.advance(60_000);
    expect(deaths).toEqual([]);
  });

  it('start() again replaces the pending ping instead of adding one', () => {
    const hb = new Heartbeat(timers, { defaultPeriodMs: 4_000 });
    begin(hb);
    timers.advance(1_000);
    begin(hb); // the server's `connected` arrived: restart with its period
    timers.advance(1_999);
    expect(pings).toEqual([]);
    timers.advance(1);
    expect(pings).toEqual([3_000]);
  });
});
