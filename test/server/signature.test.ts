/**
 * Signature help through the real language server: the syntax line shown and the parameter highlighted at
 * a `|` cursor marker.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, cursor } from '../support/lsp-client';

interface Signature {
  label: string;
  documentation?: { kind: string; value: string };
  parameters: { label: [number, number] }[];
}
interface Help {
  signatures: Signature[];
  activeSignature: number;
  activeParameter: number;
}

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

let shared: Promise<LspClient> | undefined;
function client(): Promise<LspClient> {
  shared ??= (async () => {
    const c = new LspClient();
    clients.push(c);
    await c.initialize();
    return c;
  })();
  return shared;
}

let docs = 0;

async function helpAt(marked: string): Promise<Help | null> {
  const c = await client();
  const { text, line, character } = cursor(marked);
  const uri = `file:///tmp/dw-signature/${++docs}/Dockerfile`;
  await c.open(uri, text);
  return c.request<Help | null>('textDocument/signatureHelp', { textDocument: { uri }, position: { line, character }, context: { triggerKind: 1, isRetrigger: false } });
}

/** `[signature label, highlighted parameter text]`, or null for no signature help. */
const CASES: [string, string, [string, string] | null][] = [
  ['COPY: first argument is a source', 'FROM alpine\nCOPY |', ['COPY [OPTIONS] <src> ... <dest>', '<src>']],
  ['COPY: the second of two is the destination', 'FROM alpine\nCOPY a |', ['COPY [OPTIONS] <src> ... <dest>', '<dest>']],
  ['COPY: a middle argument is a source', 'FROM alpine\nCOPY a b| c', ['COPY [OPTIONS] <src> ... <dest>', '<src>']],
  ['COPY: the last of three is the destination', 'FROM alpine\nCOPY a b c|', ['COPY [OPTIONS] <src> ... <dest>', '<dest>']],
  ['COPY: while typing a flag', 'FROM alpine\nCOPY --ch|', ['COPY [OPTIONS] <src> ... <dest>', '[OPTIONS]']],
  ['COPY: after flags', 'FROM alpine AS b\nFROM alpine\nCOPY --from=b --link |', ['COPY [OPTIONS] <src> ... <dest>', '<src>']],
  ['COPY exec form', 'FROM alpine\nCOPY ["a", |', ['COPY [OPTIONS] ["<src>", ... "<dest>"]', '"<dest>"']],
  ['ADD on a continuation line', 'FROM alpine\nADD a \\\n    |', ['ADD [OPTIONS] <src> ... <dest>', '<dest>']],
  ['FROM: the image', 'FROM |', ['FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]', '<image>[:<tag>|@<digest>]']],
  ['FROM: the stage name', 'FROM alpine AS |', ['FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]', '[AS <name>]']],
  ['FROM: the platform flag', 'FROM --pla|', ['FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]', '[--platform=<platform>]']],
  ['ENV: more pairs', 'FROM alpine\nENV A=1 |', ['ENV <key>=<value> [<key>=<value>...]', '[<key>=<value>...]']],
  ['ARG: first name', 'FROM alpine\nARG |', ['ARG <name>[=<default value>] [<name>[=<default value>]...]', '<name>[=<default value>]']],
  ['EXPOSE: more ports', 'FROM alpine\nEXPOSE 80 443 |', ['EXPOSE <port>[/<protocol>] [<port>[/<protocol>]...]', '[<port>[/<protocol>]...]']],
  ['HEALTHCHECK: CMD', 'FROM alpine\nHEALTHCHECK --interval=5s |', ['HEALTHCHECK [OPTIONS] CMD command', 'CMD']],
  ['HEALTHCHECK NONE', 'FROM alpine\nHEALTHCHECK NONE|', ['HEALTHCHECK [OPTIONS] CMD command', 'CMD']],
  ['CMD exec form', 'FROM alpine\nCMD ["node", |', ['CMD ["executable","param1","param2"]', '"param1"']],
  ['RUN: the command', 'FROM alpine\nRUN |', ['RUN [OPTIONS] <command> ...', '<command>']],
  ['RUN: a flag', 'FROM alpine\nRUN --mount=type=cache,target=/c |', ['RUN [OPTIONS] <command> ...', '<command>']],
  ['ONBUILD: the trigger', 'FROM alpine\nONBUILD |', ['ONBUILD <INSTRUCTION>', '<INSTRUCTION>']],
  ['ONBUILD COPY: the trigger\'s arguments', 'FROM alpine\nONBUILD COPY a |', ['COPY [OPTIONS] <src> ... <dest>', '<dest>']],
  ['USER', 'FROM alpine\nUSER |', ['USER <user>[:<group>]', '<user>[:<group>]']],
  ['RUN: no help inside the shell command', 'FROM alpine\nRUN apt-get install |', null],
  ['keyword being typed', 'FROM alpine\nCOP|', null],
  ['empty line', 'FROM alpine\n|', null],
  ['comment', '# |\nFROM alpine', null],
];

for (const [name, doc, expected] of CASES) {
  test(`signature help: ${name}`, async () => {
    const h = await helpAt(doc);
    if (expected === null) {
      assert.equal(h, null, JSON.stringify(h));
      return;
    }
    assert.ok(h, `no signature help for ${JSON.stringify(doc)}`);
    const sig = h.signatures[h.activeSignature];
    const [s, e] = sig.parameters[h.activeParameter].label;
    assert.deepEqual([sig.label, sig.label.slice(s, e)], expected);
    assert.equal(sig.documentation?.kind, 'markdown');
  });
}

test('signature help: every syntax line is offered, and HEALTHCHECK NONE picks its own', async () => {
  const h = (await helpAt('FROM alpine\nCMD |'))!;
  assert.deepEqual(h.signatures.map((s) => s.label), ['CMD ["executable","param1","param2"]', 'CMD ["param1","param2"]', 'CMD command param1 param2']);
  assert.equal(h.signatures[h.activeSignature].label, 'CMD command param1 param2');
  const none = (await helpAt('FROM alpine\nHEALTHCHECK NONE |'))!;
  assert.equal(none.signatures[none.activeSignature].label, 'HEALTHCHECK NONE');
});
