/** CopyEntireFilesystem (hadolint DL3067): `COPY --from=<stage> / /` copies a whole filesystem. */
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'CopyEntireFilesystem',
    title: 'COPY of an entire filesystem from another stage',
    category: 'image',
    severity: 'warning',
    upstreamSeverity: 'warning',
    enabledByDefault: true,
    equivalents: ['hadolint:DL3067'],
    fixable: false,
    docs: {
      rationale:
        'Copying `/` of another stage or image onto `/` brings its whole filesystem along (package databases, caches, users, everything), overwriting this stage\'s files and defeating the point of a multi-stage build. Copy the directories you need.',
      bad: 'FROM golang:1.22 AS build\nRUN go build -o /out/app ./cmd/app\nFROM gcr.io/distroless/static\nCOPY --from=build / /\n',
      good: 'FROM golang:1.22 AS build\nRUN go build -o /out/app ./cmd/app\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n',
    },
  },
  check(ctx) {
    for (const ins of ctx.ast.instructions) {
      if (ins.keyword !== 'COPY' || !ins.flags.some((f) => f.name === 'from')) continue;
      const words = ins.json ? ins.json.items : ins.args;
      if (words.length < 2) continue;
      const unquote = (s: string) => s.replace(/^["']|["']$/g, '');
      if (unquote(words[words.length - 1].value) !== '/') continue;
      const root = words.slice(0, -1).find((w) => unquote(w.value) === '/');
      if (root) ctx.report(root.range, 'COPY --from copies the entire filesystem of the source onto /: copy only the paths you need.');
    }
  },
});
