/** ExposeProtoCasing: BuildKit's check that EXPOSE protocols are lower case. */
import { defineRule } from './types';
import { exposedPorts, replaceFix } from './util';

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

export default defineRule({
  meta: {
    id: 'ExposeProtoCasing',
    title: 'Protocol in EXPOSE instruction should be lowercase',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:ExposeProtoCasing'],
    fixable: true,
    docs: {
      rationale:
        'The builder lower-cases the protocol of `EXPOSE 53/UDP`, so the image says `53/udp` anyway; writing it in lower case keeps the Dockerfile identical to the image metadata and to `docker run -p` syntax.',
      bad: 'FROM coredns/coredns:1.11.1\nEXPOSE 53/UDP 53/TCP\n',
      good: 'FROM coredns/coredns:1.11.1\nEXPOSE 53/udp 53/tcp\n',
    },
  },
  check(ctx) {
    for (const { ins, word, literal, port } of exposedPorts(ctx.model)) {
      // The protocol belongs to the container port, the last `:` part (`8080:80/TCP`).
      const slash = port.indexOf('/', port.lastIndexOf(':') + 1);
      // BuildKit lints only ports it can parse: a port before the protocol.
      if (slash === -1 || slash === port.lastIndexOf(':') + 1) continue;
      const proto = port.slice(slash + 1);
      const lower = proto.toLowerCase();
      if (proto === lower || !PROTOCOLS.has(lower)) continue;
      if (literal) {
        const range = ins.logical.spanOf(word.logicalStart + slash + 1, word.logicalStart + port.length);
        ctx.report(range, `Protocol '${proto}' in EXPOSE ${port} should be lowercase: '${lower}'.`, {
          fixes: [replaceFix(`Change to ${lower}`, range, lower)],
        });
      } else {
        ctx.report(word.range, `Protocol '${proto}' in EXPOSE ${port} should be lowercase: '${lower}'.`);
      }
    }
  },
});
