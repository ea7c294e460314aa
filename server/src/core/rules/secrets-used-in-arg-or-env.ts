/** SecretsUsedInArgOrEnv: BuildKit's heuristic for secrets passed through ARG or ENV. */
import { defineRule } from './types';

/** BuildKit's tokens: a name whose whole value, first or last `_`-separated word, or any inner word, is one of them. */
const SECRET_TOKENS = ['apikey', 'auth', 'credential', 'credentials', 'key', 'password', 'pword', 'passwd', 'secret', 'token'];
/** BuildKit's allow-list: names with one of these words are not secrets (PUBLIC_KEY, KEY_FILE, TOKEN_VERSION). */
const ALLOW_TOKENS = ['public', 'file', 'version'];

const DENY = new RegExp(`(?:_|^)(?:${SECRET_TOKENS.join('|')})(?:_|$)`, 'i');
const ALLOW = new RegExp(`(?:_|^)(?:${ALLOW_TOKENS.join('|')})(?:_|$)`, 'i');

/** Whether BuildKit takes a variable name for a secret. */
export function looksLikeSecret(name: string): boolean {
  return DENY.test(name) && !ALLOW.test(name);
}

export default defineRule({
  meta: {
    id: 'SecretsUsedInArgOrEnv',
    title: 'Sensitive data should not be used in the ARG or ENV commands',
    category: 'buildkit',
    severity: 'warning',
    enabledByDefault: true,
    equivalents: ['buildkit:SecretsUsedInArgOrEnv', 'hadolint:DL3064'],
    fixable: false,
    docs: {
      rationale:
        'ENV values are stored in the image config and ARG values in the build history and provenance, so anyone with the image can read them. Pass secrets with a secret mount (`RUN --mount=type=secret,id=...` and `docker build --secret`) instead. The check uses BuildKit\'s name heuristics: a `_`-separated word such as TOKEN, PASSWORD, SECRET, KEY, AUTH or APIKEY, unless the name also has PUBLIC, FILE or VERSION.',
      bad: 'FROM node:20-alpine\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci\n',
      good: 'FROM node:20-alpine\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n',
    },
  },
  check(ctx) {
    // As BuildKit: ARG and ENV in build stages (global ARGs are only checked where a stage redeclares them).
    for (const stage of ctx.model.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'ARG' && ins.keyword !== 'ENV') continue;
        for (const pair of ins.pairs ?? []) {
          if (!looksLikeSecret(pair.key)) continue;
          ctx.report(
            pair.keyRange,
            `Do not use ARG or ENV instructions for sensitive data (${ins.keyword} "${pair.key}"): ${ins.keyword === 'ENV' ? 'ENV values are stored in the image' : 'ARG values are recorded in the build history'}. Use a secret mount instead.`,
          );
        }
      }
    }
  },
});
