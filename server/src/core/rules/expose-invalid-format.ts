/** ExposeInvalidFormat: BuildKit's warning for IP addresses and host-port mappings in EXPOSE. */
import { defineRule } from './types';
import { exposedPorts, replaceFix } from './util';

/** BuildKit's splitParts: `[ip:]hostPort:containerPort`, the IP possibly an IPv6 address with colons. */
function splitParts(raw: string): { ip: string; hostPort: string; containerPort: string } {
  const parts = raw.split(':');
  const n = parts.length;
  if (n === 1) return { ip: '', hostPort: '', containerPort: parts[0] };
  if (n === 2) return { ip: '', hostPort: parts[0], containerPort: parts[1] };
  return { ip: parts.slice(0, n - 2).join(':'), hostPort: parts[n - 2], containerPort: parts[n - 1] };
}

/** BuildKit's splitProtoPort succeeds: a port before the optional `/tcp`, `/udp` or `/sctp` (any case). */
function validContainerPort(containerPort: string): boolean {
  const slash = containerPort.indexOf('/');
  const port = slash === -1 ? containerPort : containerPort.slice(0, slash);
  const proto = slash === -1 ? '' : containerPort.slice(slash + 1).toLowerCase();
  return port !== '' && (proto === '' || proto === 'tcp' || proto === 'udp' || proto === 'sctp');
}

export default defineRule({
  meta: {
    id: 'ExposeInvalidFormat',
    title: 'IP address and host-port mapping should not be used in EXPOSE instruction',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:ExposeInvalidFormat'],
    fixable: true,
    docs: {
      rationale:
        'EXPOSE only records which container ports the image listens on; publishing to a host port or address is decided at `docker run -p` time. The builder ignores the host part of `EXPOSE 8080:80` (the image exposes 80), and this form will become an error in a future release.',
      bad: 'FROM nginx:1.27\nEXPOSE 8080:80\n',
      good: 'FROM nginx:1.27\nEXPOSE 80\n',
    },
  },
  check(ctx) {
    for (const { word, literal, expansion: ex, port } of exposedPorts(ctx.model)) {
      const { ip, hostPort, containerPort } = splitParts(port);
      // BuildKit lints only ports it can parse: a container port and a known protocol.
      if (!validContainerPort(containerPort) || (ip === '' && hostPort === '')) continue;
      const what = ip !== '' ? `an IP address (${ip}) and a host port` : `a host port (${hostPort})`;
      // The fix keeps the text after the last `:` when it is literal and is the container port.
      const tail = word.value.slice(word.value.lastIndexOf(':') + 1);
      const fixable = containerPort !== '' && tail === containerPort && (literal || (ex?.words.length === 1 && !/[$"'\\`{}]/.test(tail)));
      ctx.report(word.range, `EXPOSE should not define ${what}, found '${port}': only the container port ${containerPort} is exposed; map host ports with docker run -p.`, {
        fixes: fixable ? [replaceFix(`Keep the container port ${containerPort}`, word.range, containerPort)] : [],
      });
    }
  },
});
