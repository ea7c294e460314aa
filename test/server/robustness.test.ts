/** The server under abuse: random edit sequences, garbage on the wire, oversized and binary documents. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { LspClient, ROOT, type Diag } from '../support/lsp-client';

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

const key = (d: Diag[]) => JSON.stringify(d.map((x) => [x.code, x.range, x.message, x.severity]).sort());

function positionAt(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

test('incremental sync: random edit sequences end in the diagnostics of a fresh open', async () => {
  const c = new LspClient();
  clients.push(c);
  await c.initialize();
  const base = 'ARG BASE=alpine\nFROM ${BASE}:3.20 AS build\nRUN apt-get update && apt-get install -y curl\nCOPY --from=build /a /b\nCMD echo hi\n';
  const pieces = ['RUNN ', '\n', '\\\n', '$', '${X', '}', '"', ' --chmown=1 ', 'FROM x AS y\n', 'CMD ["a"]\n', '<<EOF\n', 'EOF\n', '\r\n', ''];
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ a: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.nat(15), text: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 12 }),
      async (edits) => {
        run++;
        const uri = `file:///tmp/inc/${run}/Dockerfile`;
        await c.open(uri, base);
        let text = base;
        let version = 1;
        for (const e of edits) {
          const start = Math.floor(e.a * text.length);
          const end = Math.min(text.length, start + e.len);
          const range = { start: positionAt(text, start), end: positionAt(text, end) };
          text = text.slice(0, start) + e.text + text.slice(end);
          version = await c.change(uri, [{ range, text: e.text }]);
        }
        const incremental = await c.waitForDiagnostics(uri, (_d, v) => v === version);
        const fresh = `file:///tmp/inc/${run}/fresh/Dockerfile`;
        await c.open(fresh, text);
        const direct = await c.waitForDiagnostics(fresh, (_d, v) => v === 1);
        assert.equal(key(incremental), key(direct), `after edits, text ${JSON.stringify(text)}`);
        await c.close(uri);
        await c.close(fresh);
      },
    ),
    { numRuns: Number(process.env.SYNC_RUNS ?? 25) },
  );
});

test('oversized, one-line and binary documents are reported plainly while other documents keep working', async () => {
  const c = new LspClient({ pull: true });
  clients.push(c);
  await c.initialize();
  const huge = 'FROM alpine:3.20\n' + 'RUN echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n'.repeat(130_000);
  await c.open('file:///tmp/big/Dockerfile', huge);
  await c.open('file:///tmp/small/Dockerfile', 'FROM alpine:3.20\nRUNN x\n');
  const small = await c.pullDiagnostics('file:///tmp/small/Dockerfile');
  assert.ok(small.some((d) => d.code === 'UnknownInstruction'));
  const big = await c.pullDiagnostics('file:///tmp/big/Dockerfile');
  assert.ok(big.some((d) => /MB/.test(d.message) && /skipped/.test(d.message)), JSON.stringify(big.slice(0, 2)));
  const oneLine = 'FROM alpine:3.20\nRUN ' + 'echo x && '.repeat(100_000) + 'true\n';
  await c.open('file:///tmp/oneline/Dockerfile', oneLine);
  const d = await c.pullDiagnostics('file:///tmp/oneline/Dockerfile');
  assert.ok(Array.isArray(d));
  await c.open('file:///tmp/binary/Dockerfile', '\u0000\u0001ELF\u0000\u0000' + 'x'.repeat(1000));
  const b = await c.pullDiagnostics('file:///tmp/binary/Dockerfile');
  assert.match(b[0].message, /binary/);
});

test('garbage on the wire does not kill the server', async () => {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'src', 'server.ts'), '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const send = (body: string) => proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  const waitFor = async (re: RegExp, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!re.test(out)) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`no ${re} in output (exit ${proc.exitCode}): ${out.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  await waitFor(/"id":1/);
  send('{this is not json');
  send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'no/such/method', params: {} }));
  await waitFor(/"id":2,"error"/);
  send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'textDocument/codeAction', params: { textDocument: { uri: 'file:///never/opened' }, range: null, context: null } }));
  await waitFor(/"id":3/);
  send(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: null } }));
  send(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///ok/Dockerfile', languageId: 'dockerfile', version: 1, text: 'RUNN x\n' } } }));
  await waitFor(/publishDiagnostics.*UnknownInstruction/);
  assert.equal(proc.exitCode, null, 'still running');
  proc.kill();
});
