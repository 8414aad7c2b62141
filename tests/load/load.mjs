// Drives a running gateway with autocannon over mutual TLS and prints one line per scenario.
// Usage: node load.mjs <url> <pki-folder> [durationSeconds] [connections]
import autocannon from 'autocannon';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [url, pki, duration = '10', connections = '32'] = process.argv.slice(2);
if (!url || !pki) {
  console.error('usage: node load.mjs <url> <pki-folder> [durationSeconds] [connections]');
  process.exit(1);
}

const tlsOptions = {
  cert: readFileSync(join(pki, 'client.crt')),
  key: readFileSync(join(pki, 'client.key')),
  ca: readFileSync(join(pki, 'ca.crt')),
};

async function run(title, options) {
  const result = await autocannon({ url, duration: Number(duration), connections: Number(connections), tlsOptions, ...options });
  const errors = result.errors + result.timeouts + result.non2xx;
  console.log(`${title}: ${Math.round(result.requests.average)} req/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${errors}`);
  return errors;
}

// autocannon keeps connections open; this loop opens a new TLS connection (full handshake with the client
// certificate, verdict from the cross-connection cache) for every request, with the same concurrency.
async function newConnectionPerRequest(title) {
  const agent = new https.Agent({ keepAlive: false, maxCachedSessions: 0, ...tlsOptions });
  const latencies = [];
  let errors = 0;
  const end = Date.now() + Number(duration) * 1000;
  const one = () => new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const request = https.get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode !== 200) errors++;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        resolve();
      });
    });
    request.on('error', () => { errors++; resolve(); });
  });
  const worker = async () => { while (Date.now() < end) await one(); };
  await Promise.all(Array.from({ length: Number(connections) }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(1);
  console.log(`${title}: ${Math.round(latencies.length / Number(duration))} req/s, latency p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, errors ${errors}`);
  return errors;
}

let failures = 0;
failures += await run(`keep-alive, ${connections} connections`, {});
failures += await newConnectionPerRequest(`new TLS connection per request (no session resumption), ${connections} concurrent`);
process.exit(failures > 0 ? 2 : 0);
