import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureApiAuth, fetchCsv, fetchSeries, hasApiToken, removeSensor, seriesHref } from '../../src/api';

interface Sent {
  url: string;
  init: RequestInit;
}

/** fetch answers `res` (or throws it) and keeps what was sent. */
function stubFetch(res: Response | Error): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return res instanceof Error ? Promise.reject(res) : Promise.resolve(res);
  });
  return sent;
}

const errorBody = (code: string, message: string): string => JSON.stringify({ error: { code, message } });

describe('removeSensor (DELETE /api/sensors/{id})', () => {
  afterEach(() => {
    configureApiAuth(null);
    vi.unstubAllGlobals();
  });

  it('sends DELETE to the percent-encoded id with the token; 204 is done', async () => {
    const sent = stubFetch(new Response(null, { status: 204 }));
    configureApiAuth({ token: () => 't0k', onUnauthorized: vi.fn() });
    expect(await removeSensor('/dash/', 'kitchen/temp #1')).toEqual({ ok: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('/dash/api/sensors/kitchen%2Ftemp%20%231');
    expect(sent[0]!.init.method).toBe('DELETE');
    expect((sent[0]!.init.headers as Record<string, string>)['Authorization']).toBe('Bearer t0k');
  });

  it('without a token sends no Authorization header', async () => {
    const sent = stubFetch(new Response(null, { status: 204 }));
    expect(await removeSensor('/', 'a')).toEqual({ ok: true });
    expect(sent[0]!.init.headers).toEqual({ Accept: 'application/json' });
  });

  it("403 and 404 come back with the bridge's message", async () => {
    stubFetch(new Response(errorBody('FORBIDDEN', 'removing a sensor needs a token with scope=admin'), { status: 403 }));
    expect(await removeSensor('/', 'a')).toEqual({ ok: false, status: 403, message: 'removing a sensor needs a token with scope=admin' });
    stubFetch(new Response(errorBody('NOT_FOUND', "sensor 'a' not found"), { status: 404 }));
    expect(await removeSensor('/', 'a')).toEqual({ ok: false, status: 404, message: "sensor 'a' not found" });
  });

  it('401 asks for a token, as reads do', async () => {
    stubFetch(new Response(errorBody('UNAUTHORIZED', 'token expired'), { status: 401 }));
    const onUnauthorized = vi.fn();
    configureApiAuth({ token: () => 'old', onUnauthorized });
    expect(await removeSensor('/', 'a')).toEqual({ ok: false, status: 401, message: 'token expired' });
    expect(onUnauthorized).toHaveBeenCalledWith('token expired');
  });

  it('an answer without an error body, or none at all, still says what happened', async () => {
    stubFetch(new Response('<html>bad gateway</html>', { status: 502 }));
    expect(await removeSensor('/', 'a')).toEqual({ ok: false, status: 502, message: 'the bridge answered 502' });
    stubFetch(new TypeError('Failed to fetch'));
    expect(await removeSensor('/', 'a')).toEqual({ ok: false, status: 0, message: 'the bridge did not answer' });
  });
});

describe('series (GET /api/sensors/{id}/series)', () => {
  afterEach(() => {
    configureApiAuth(null);
    vi.unstubAllGlobals();
  });

  const body = { from: 1, to: 2, sensorId: 'kitchen/temp #1', resolution: 'raw', tier: 'raw', heldFrom: 0, points: [{ t: 1, v: 20 }] };

  it('asks at the percent-encoded id with the query, and takes a valid answer for that sensor only', async () => {
    const sent = stubFetch(new Response(JSON.stringify(body), { status: 200 }));
    expect(await fetchSeries('/dash/', 'kitchen/temp #1', { from: '-24h', to: 'now', maxPoints: '800' })).toEqual(body);
    expect(sent[0]!.url).toBe('/dash/api/sensors/kitchen%2Ftemp%20%231/series?from=-24h&to=now&maxPoints=800');
    stubFetch(new Response(JSON.stringify(body), { status: 200 }));
    expect(await fetchSeries('/', 'another', { from: '-1h' })).toBeNull();
    stubFetch(new Response(JSON.stringify({ ...body, points: 'none' }), { status: 200 }));
    expect(await fetchSeries('/', 'kitchen/temp #1', {})).toBeNull();
    stubFetch(new Response(errorBody('BUSY', 'busy'), { status: 503 }));
    expect(await fetchSeries('/', 'kitchen/temp #1', {})).toBeNull();
  });

  it('the CSV link is the same address with format=csv', () => {
    expect(seriesHref('/', 'a b', { from: '1', to: '2', maxPoints: '10000', format: 'csv' })).toBe('/api/sensors/a%20b/series?from=1&to=2&maxPoints=10000&format=csv');
  });

  it('with a token, fetches the CSV with it as a header; a 401 asks for a token again', async () => {
    expect(hasApiToken()).toBe(false);
    const onUnauthorized = vi.fn();
    configureApiAuth({ token: () => 't0k', onUnauthorized });
    expect(hasApiToken()).toBe(true);
    const sent = stubFetch(new Response('t,time,value\r\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }));
    const blob = await fetchCsv('/api/sensors/a/series?format=csv');
    expect(await blob!.text()).toBe('t,time,value\r\n');
    expect(sent[0]!.init.headers).toEqual({ Accept: 'text/csv', Authorization: 'Bearer t0k' });
    stubFetch(new Response(errorBody('UNAUTHORIZED', 'token expired'), { status: 401 }));
    expect(await fetchCsv('/x')).toBeNull();
    expect(onUnauthorized).toHaveBeenCalledWith('token expired');
  });
});
