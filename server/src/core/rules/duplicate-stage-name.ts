/** DuplicateStageName: BuildKit's check that stage names are unique. */
import type { Stage } from '../semantic/model';
import { defineRule } from './types';

export default defineRule({
  meta: {
    id: 'DuplicateStageName',
    title: 'Stage names should be unique',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:DuplicateStageName', 'hadolint:DL3024'],
    fixable: false,
    docs: {
      rationale:
        'Stage names are case-insensitive and must be unique: when two stages share a name, `--target`, `COPY --from` and `FROM <name>` silently pick the later one (or whichever the builder resolves first), so the build does not do what the file suggests.',
      bad: 'FROM golang:1.22 AS build\nRUN go build -o /server ./cmd/server\n\nFROM node:20 AS build\nRUN npm run build\n',
      good: 'FROM golang:1.22 AS build-server\nRUN go build -o /server ./cmd/server\n\nFROM node:20 AS build-web\nRUN npm run build\n',
    },
  },
  check(ctx) {
    const seen = new Map<string, Stage>();
    for (const stage of ctx.model.stages) {
      if (stage.name === undefined || !stage.nameRange) continue;
      const first = seen.get(stage.name);
      if (!first) {
        seen.set(stage.name, stage);
        continue;
      }
      ctx.report(stage.nameRange, `Duplicate stage name "${stage.name}": stage ${first.index + 1} already uses it, and stage names must be unique.`, {
        related: first.nameRange ? [{ message: `"${stage.name}" is first defined here`, range: first.nameRange }] : undefined,
      });
    }
  },
});
