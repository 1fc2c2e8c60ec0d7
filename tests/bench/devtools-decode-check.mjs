// Checks a benchmark artifact: with DevTools' Network domain enabled on a
// page (Playwright always enables it), Chromium decodes a whole text
// response body into a string when it finishes, for the inspector, in a
// main-thread task of its own. The widget never reads the feed as text; an
// ordinary visitor's browser does not do this.
//
//   make build
//   node --experimental-websocket tests/bench/devtools-decode-check.mjs
//
// It drives Chromium over raw CDP from the browser target, loads the
// standalone page cold (a fresh browser context each time) on an ITEMS
// (default 10000) feed, alternately with and without `Network.enable` on
// the page, traces each load, and prints the text decodes of large bodies
// on the page's main thread. Bodies over DevTools' per-resource buffer (the
// 40 MB 50,000-item feed) are not kept, so not decoded. Nothing leaves
// loopback.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { ROOT, pageUrl, startEmulator } from '../e2e/harness.mjs';

const ITEMS = Number(process.env.ITEMS || 10000);
const RUNS = Number(process.env.RUNS || 6);
const SETTLE_MS = 3000;

async function connect(wsUrl) {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', reject);
  });
  let lastId = 0;
  const pending = new Map();
  const events = [];
  ws.addEventListener('message', (message) => {
    const data = JSON.parse(message.data);
    if (data.id && pending.has(data.id)) {
      pending.get(data.id)(data);
      pending.delete(data.id);
    } else {
      events.push(data);
    }
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve) => {
      lastId += 1;
      pending.set(lastId, resolve);
      ws.send(JSON.stringify({ id: lastId, method, params, ...(sessionId && { sessionId }) }));
    });
  return { ws, send, events };
}

async function main() {
  const emulator = await startEmulator(['--shop', `1001=${ITEMS}`], { staticDir: `${ROOT}dist` });
  // The emulator generates the feed on first request: not traced.
  await (await fetch(`${emulator.pageOrigin}/shops/1001/inventory.json`)).arrayBuffer();
  const profile = mkdtempSync('/tmp/cg-devtools-check-');
  const chrome = spawn(process.env.CHROMIUM || '/usr/bin/chromium', [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
    `--user-data-dir=${profile}`,
    '--remote-debugging-port=0',
    'about:blank',
  ]);
  try {
    const wsUrl = await new Promise((resolve) => {
      let seen = '';
      chrome.stderr.on('data', (chunk) => {
        seen += chunk;
        const match = seen.match(/ws:\/\/\S+/);
        if (match) resolve(match[0]);
      });
    });
    const { ws, send, events } = await connect(wsUrl);
    const url = await pageUrl(emulator, { shop: '1001', cdn: emulator.pageOrigin, storefront: 'https://shop.example', currency: 'EUR' });
    for (let run = 0; run < RUNS; run += 1) {
      const withNetwork = run % 2 === 1;
      events.length = 0;
      const context = (await send('Target.createBrowserContext')).result.browserContextId;
      const target = (await send('Target.createTarget', { url: 'about:blank', browserContextId: context })).result.targetId;
      const session = (await send('Target.attachToTarget', { targetId: target, flatten: true })).result.sessionId;
      if (withNetwork) await send('Network.enable', {}, session);
      await send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'toplevel', 'blink', 'loading'] }, transferMode: 'ReportEvents' });
      await send('Page.navigate', { url }, session);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      await send('Tracing.end');
      while (!events.some((e) => e.method === 'Tracing.tracingComplete')) await new Promise((resolve) => setTimeout(resolve, 50));
      const trace = events.filter((e) => e.method === 'Tracing.dataCollected').flatMap((e) => e.params.value);
      const feedDone = trace.some((e) => e.name === 'ResourceFinish' && e.args?.data?.decodedBodyLength > 1e6);
      const decodes = trace.filter((e) => e.name === 'TextResourceDecoder::Decode' && (e.args?.data_len ?? 0) > 100_000);
      const mode = withNetwork ? 'Network.enable on the page' : 'no Network domain';
      // The task that finishes the body, around the decode.
      const finishing = (d) => trace.find((e) => e.name === 'ResponseBodyLoader::DidFinishLoadingBody' && e.tid === d.tid && e.ts <= d.ts && d.ts + d.dur <= e.ts + e.dur);
      const seen =
        decodes
          .map((d) => `${(d.args.data_len / 1e6).toFixed(1)} MB decoded as text in ${(d.dur / 1000).toFixed(1)} ms (finishing the body took ${((finishing(d)?.dur ?? 0) / 1000).toFixed(1)} ms)`)
          .join(', ') || 'no text decode of a large body';
      console.log(`load ${run + 1} (${mode}): ${feedDone ? 'feed downloaded' : 'feed NOT downloaded'}; ${seen}`);
      await send('Target.closeTarget', { targetId: target });
      await send('Target.disposeBrowserContext', { browserContextId: context });
    }
    ws.close();
  } finally {
    chrome.kill();
    emulator.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();
