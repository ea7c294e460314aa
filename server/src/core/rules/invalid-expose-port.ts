/**
 * InvalidExposePort: EXPOSE values the builder rejects when it dispatches the stage
 * (dockerfile2llb/convert_expose.go parsePortSpec): a port that is not a number or range within
 * 0-65535, a protocol other than tcp/udp/sctp, a malformed `host:container` mapping. Valid
 * `host:container` forms (ExposeInvalidFormat) and upper-case protocols (ExposeProtoCasing) are
 * BuildKit warnings, not reported here. Values with variables are checked once expanded; values that
 * depend on build-time input are skipped.
 */
import type { Stage } from '../semantic/model';
import { resolveWords } from '../semantic/resolve';
import { reachableStages } from '../semantic/stage-graph';
import type { Instruction, Span } from '../syntax/ast';
import { defineRule, type Fix, type RuleContext } from './types';
import { replaceFix, suggest } from './util';

const PROTOCOLS = ['tcp', 'udp', 'sctp'];

export default defineRule({
  meta: {
    id: 'InvalidExposePort',
    title: 'Invalid EXPOSE port',
    category: 'build-error',
    severity: 'error',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3011'],
    upstreamSeverity: 'error',
    fixable: true,
    docs: {
      rationale:
        'EXPOSE takes ports (0-65535) or ranges such as 8000-8010, optionally with /tcp, /udp or /sctp. Anything else stops the build when the stage is built.',
      bad: 'FROM nginx:1.27\nEXPOSE 80/tpc 443 70000\n',
      good: 'FROM nginx:1.27\nEXPOSE 80/tcp 443 7000\n',
    },
  },
  check(ctx) {
    const reachable = reachableStages(ctx.model);
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword === 'EXPOSE') {
        const stage = ctx.model.stageOf(ins);
        if (!stage) continue;
        checkExpose(ctx, ins, ins, stage, reachable.has(stage), false);
      } else if (ins.trigger?.keyword === 'EXPOSE') {
        checkExpose(ctx, ins, ins.trigger, undefined, true, true);
      }
    }
  },
});

function checkExpose(ctx: RuleContext, outer: Instruction, ins: Instruction, stage: Stage | undefined, inBuild: boolean, trigger: boolean): void {
  for (const arg of ins.args) {
    let words: readonly string[];
    if (trigger) {
      // Triggers run in another build, with that build's variables.
      if (arg.value.includes('$')) continue;
      words = resolveWords(ctx.model, outer, arg.value, true).words;
    } else {
      const r = resolveWords(ctx.model, outer, arg.value, true);
      if (r.unresolved || r.error) continue;
      words = r.words;
    }
    for (const word of words) {
      const err = portSpecError(word);
      if (!err) continue;
      const literal = word === arg.value;
      const shown = literal ? `"${word}"` : `"${arg.value}" (= "${word}")`;
      let message = `Invalid EXPOSE value ${shown}: ${err.message}.`;
      let severity: 'warning' | undefined;
      if (trigger) {
        message += ' This ONBUILD trigger fails every build that uses this image as its base.';
        severity = 'warning';
      } else if (!inBuild) {
        message += ` Building a target that includes stage ${stage?.nameRaw ?? stage?.index} fails; the default target does not.`;
        severity = 'warning';
      }
      const fixes: Fix[] = [];
      if (literal && err.proto !== undefined) {
        const guess = suggest(err.proto, PROTOCOLS);
        const slash = arg.value.indexOf('/');
        if (guess && slash !== -1) {
          const r: Span = { start: arg.range.start + slash + 1, end: arg.range.end };
          if (r.end - r.start === err.proto.length) fixes.push(replaceFix(`Change to ${guess}`, r, guess));
        }
      }
      ctx.report(arg.range, message, { severity, fixes });
    }
  }
}

interface PortError {
  readonly message: string;
  /** The unknown protocol, for a "did you mean" fix. */
  readonly proto?: string;
}

/** dockerfile2llb's parsePortSpec: undefined when BuildKit accepts the value. */
function portSpecError(raw: string): PortError | undefined {
  const parts = raw.split(':');
  let ip = '';
  let hostPort = '';
  let containerPort: string;
  if (parts.length === 1) containerPort = parts[0];
  else if (parts.length === 2) [hostPort, containerPort] = parts;
  else if (parts.length === 3) [ip, hostPort, containerPort] = parts;
  else {
    ip = parts.slice(0, parts.length - 2).join(':');
    hostPort = parts[parts.length - 2];
    containerPort = parts[parts.length - 1];
  }
  // splitProtoPort
  const slash = containerPort.indexOf('/');
  let port = slash === -1 ? containerPort : containerPort.slice(0, slash);
  let proto = slash === -1 ? '' : containerPort.slice(slash + 1);
  if (port === '') {
    proto = '';
    port = '';
  } else if (proto === '') proto = 'tcp';
  if (!PROTOCOLS.includes(proto.toLowerCase())) {
    return proto === '' ? { message: 'no port number' } : { message: `invalid protocol "${proto}": use tcp, udp or sctp`, proto };
  }
  if (ip !== '') {
    let host = ip;
    if (host.startsWith('[')) {
      if (!host.endsWith(']')) return { message: `invalid IP address ${ip}` };
      host = host.slice(1, -1);
    }
    if (!isIP(host)) return { message: `invalid IP address: ${ip}` };
  }
  if (port === '') return { message: 'no port specified' };
  const c = portRange(port);
  if (typeof c === 'string') return { message: `invalid containerPort: ${port} (${c})` };
  if (hostPort !== '') {
    const h = portRange(hostPort);
    if (typeof h === 'string') return { message: `invalid hostPort: ${hostPort} (${h})` };
    if (c[1] - c[0] !== h[1] - h[0] && c[1] !== c[0]) return { message: `invalid ranges specified for container and host Ports: ${port} and ${hostPort}` };
  }
  return undefined;
}

/** parsePortRange: [start, end], or why it is invalid. */
function portRange(s: string): [number, number] | string {
  if (s === '') return 'empty';
  if (!s.includes('-')) {
    const n = parseUint16(s);
    return n === undefined ? (/^\d+$/.test(s) ? 'ports go up to 65535' : 'not a port number') : [n, n];
  }
  const parts = s.split('-');
  if (parts.length !== 2) return 'invalid port range format';
  const a = parseUint16(parts[0]);
  const b = parseUint16(parts[1]);
  if (a === undefined || b === undefined) return /^\d+$/.test(parts[0]) && /^\d+$/.test(parts[1]) ? 'ports go up to 65535' : 'not a port range';
  if (b < a) return 'the range ends before it starts';
  return [a, b];
}

/** strconv.ParseUint(s, 10, 16). */
function parseUint16(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/** Go's net.ParseIP: dotted IPv4 (no leading zeros) or IPv6. */
function isIP(s: string): boolean {
  const v4 = (x: string) => {
    const p = x.split('.');
    return p.length === 4 && p.every((o) => /^(0|[1-9]\d{0,2})$/.test(o) && Number(o) <= 255);
  };
  if (v4(s)) return true;
  if (!s.includes(':')) return false;
  let body = s;
  let groups = 8;
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!v4(tail)) return false;
    body = body.slice(0, lastColon + 1) + '0:0';
    groups = 8;
  }
  const dbl = body.split('::');
  if (dbl.length > 2) return false;
  const hex = (g: string) => /^[0-9a-fA-F]{1,4}$/.test(g);
  const split = (x: string) => (x === '' ? [] : x.split(':'));
  if (dbl.length === 2) {
    const left = split(dbl[0]);
    const right = split(dbl[1]);
    return left.every(hex) && right.every(hex) && left.length + right.length < groups;
  }
  const all = split(body);
  return all.length === groups && all.every(hex);
}
