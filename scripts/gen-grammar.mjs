// Generates syntaxes/dockerfile.tmLanguage.json: node scripts/gen-grammar.mjs [out]. Edit the grammar here, not in the JSON.
import { writeFileSync } from 'node:fs';

const OUT = process.argv[2] ?? new URL('../syntaxes/dockerfile.tmLanguage.json', import.meta.url).pathname;

// ---------------------------------------------------------------- regex pieces
const WS = '[ \\t]';
const BOW = '(?<![^ \\t])'; // at the start of a line or after a blank: a word start
const EOW = '(?=[ \\t]|$)'; // followed by a blank or the end of the line
const EOI = '(?<=.)$'; // end of a physical line that was not continued (continuations eat the \n)
const VAR_INLINE = '\\$\\{[^}\\s]*\\}|\\$[A-Za-z_][A-Za-z0-9_]*';
const DELIM = '[A-Za-z0-9_][A-Za-z0-9_.-]*';
const HEREDOC_AHEAD = `${BOW}<<-?["']?[A-Za-z0-9_]`;

const kw = (s) => `(?i:${s})`;

// ---------------------------------------------------------------- grammar
const repository = {};

// --- directives ----------------------------------------------------------------
const DIRECTIVE_AHEAD = `${WS}*#${WS}*${kw('syntax|escape|check')}${WS}*=`;
repository['directives'] = {
  comment: 'Parser directives: only in the leading block of `# name=value` lines at the very top of the file.',
  begin: `\\A(?=${DIRECTIVE_AHEAD})`,
  end: `^(?!${DIRECTIVE_AHEAD})`,
  patterns: [
    { include: '#directive-syntax' },
    { include: '#escape-backtick-mode' },
    { include: '#directive-escape' },
    { include: '#directive-check' },
  ],
};
repository['escape-backtick-mode'] = {
  comment:
    'After an escape directive with a backtick value the rest of the file uses the backtick as escape and line-continuation character: ' +
    'the *-bt copies of the rules. This rule never ends.',
  begin: `^${WS}*(#)${WS}*(${kw('escape')})${WS}*(=)${WS}*(\`)${WS}*$`,
  beginCaptures: {
    0: { name: 'meta.directive.escape.dockerfile' },
    1: { name: 'punctuation.definition.directive.dockerfile' },
    2: { name: 'keyword.other.directive.escape.dockerfile' },
    3: { name: 'keyword.operator.assignment.dockerfile' },
    4: { name: 'constant.character.escape.directive-value.dockerfile' },
  },
  end: '(?!)',
  patterns: [
    { include: '#directive-syntax' },
    { include: '#directive-check' },
    {
      comment: 'From the first line that is not a parser directive on.',
      begin: `^(?!${DIRECTIVE_AHEAD})(?=[\\s\\S])`,
      end: '(?!)',
      patterns: [{ include: '#comment' }, { include: '#instructions-bt' }],
    },
  ],
};
const directiveHead = (name) => `^${WS}*(#)${WS}*(${kw(name)})${WS}*(=)${WS}*`;
repository['directive-syntax'] = {
  match: `${directiveHead('syntax')}(.*?)${WS}*$`,
  name: 'meta.directive.syntax.dockerfile',
  captures: {
    1: { name: 'punctuation.definition.directive.dockerfile' },
    2: { name: 'keyword.other.directive.syntax.dockerfile' },
    3: { name: 'keyword.operator.assignment.dockerfile' },
    4: { name: 'string.unquoted.directive-value.dockerfile' },
  },
};
repository['directive-escape'] = {
  match: `${directiveHead('escape')}(?:([\\\\\`])|(.*?))${WS}*$`,
  name: 'meta.directive.escape.dockerfile',
  captures: {
    1: { name: 'punctuation.definition.directive.dockerfile' },
    2: { name: 'keyword.other.directive.escape.dockerfile' },
    3: { name: 'keyword.operator.assignment.dockerfile' },
    4: { name: 'constant.character.escape.directive-value.dockerfile' },
    5: { name: 'invalid.illegal.escape-character.dockerfile' },
  },
};
repository['directive-check'] = {
  match: `${directiveHead('check')}(.*?)${WS}*$`,
  name: 'meta.directive.check.dockerfile',
  captures: {
    1: { name: 'punctuation.definition.directive.dockerfile' },
    2: { name: 'keyword.other.directive.check.dockerfile' },
    3: { name: 'keyword.operator.assignment.dockerfile' },
    4: { patterns: [{ include: '#directive-check-value' }] },
  },
};
repository['directive-check-value'] = {
  patterns: [
    {
      match: `(${kw('skip|error')})(=)([^;\\s]*)`,
      captures: {
        1: { name: 'support.type.property-name.check.dockerfile' },
        2: { name: 'keyword.operator.assignment.dockerfile' },
        3: {
          patterns: [
            { match: `\\b${kw('true|false')}\\b`, name: 'constant.language.boolean.dockerfile' },
            { match: `\\b${kw('all')}\\b`, name: 'constant.language.all.dockerfile' },
            { match: '[A-Za-z][A-Za-z0-9]*', name: 'string.unquoted.check-name.dockerfile' },
            { match: ',', name: 'punctuation.separator.comma.dockerfile' },
          ],
        },
      },
    },
    { match: ';', name: 'punctuation.separator.semicolon.dockerfile' },
  ],
};

// Everything below depends on the escape character (`\` or, with `# escape=\``, a backtick):
// built once per escape character; the backtick copy gets a `-bt` suffix.
function build(E) {
const repository = {};
// a flag value: anything up to a blank, a line continuation stays outside
const FLAG_VALUE = `(?:[^\\s${E}"']|${E}\\S|"[^"\\n]*"|'[^'\\n]*')*`;

// --- comments and line continuations ----------------------------------------------
repository['comment'] = {
  comment: 'A comment line. Inside a continued instruction the builder drops such lines, so they are comments there too.',
  match: `^(${WS}*)((#).*)$\\n?`,
  captures: {
    2: { name: 'comment.line.number-sign.dockerfile' },
    3: { name: 'punctuation.definition.comment.dockerfile' },
  },
};
repository['line-continuation'] = {
  comment: 'The escape character at the end of a line continues the instruction. Eats the newline so the instruction does not end here.',
  match: `(${E})${WS}*$\\n?`,
  captures: { 1: { name: 'constant.character.escape.line-continuation.dockerfile' } },
};
repository['blank-continuation-line'] = {
  comment: 'An empty line inside a continued instruction is skipped by the builder.',
  match: `^${WS}*\\n`,
};
repository['continuation-lines'] = {
  patterns: [{ include: '#line-continuation' }, { include: '#comment' }, { include: '#blank-continuation-line' }],
};

// --- variables ------------------------------------------------------------
repository['variables'] = {
  patterns: [
    { include: '#variable-braced-simple' },
    { include: '#variable-substitution' },
    { include: '#variable-expansion' },
    { include: '#variable-simple' },
  ],
};
repository['variable-simple'] = {
  match: '(\\$)([A-Za-z_][A-Za-z0-9_]*)',
  name: 'variable.other.dockerfile',
  captures: { 1: { name: 'punctuation.definition.variable.dockerfile' } },
};
repository['variable-braced-simple'] = {
  match: '(\\$\\{)([A-Za-z_][A-Za-z0-9_]*)(\\})',
  name: 'meta.parameter-expansion.dockerfile',
  captures: {
    1: { name: 'punctuation.definition.variable.begin.dockerfile' },
    2: { name: 'variable.other.dockerfile' },
    3: { name: 'punctuation.definition.variable.end.dockerfile' },
  },
};
const expansionBody = [
  { include: '#variables' },
  { include: '#escape' },
  { include: '#string-double' },
  { include: '#string-single' },
];
repository['variable-expansion'] = {
  comment: '${VAR:-word} ${VAR-word} ${VAR:+word} ${VAR+word} ${VAR:?word} ${VAR?word} ${VAR#pat} ${VAR##pat} ${VAR%pat} ${VAR%%pat}',
  begin: '(\\$\\{)([A-Za-z_][A-Za-z0-9_]*)?(:?[-+?]|##?|%%?)?',
  beginCaptures: {
    1: { name: 'punctuation.definition.variable.begin.dockerfile' },
    2: { name: 'variable.other.dockerfile' },
    3: { name: 'keyword.operator.expansion.dockerfile' },
  },
  end: '(\\})|$',
  endCaptures: { 1: { name: 'punctuation.definition.variable.end.dockerfile' } },
  name: 'meta.parameter-expansion.dockerfile',
  patterns: expansionBody,
};
repository['variable-substitution'] = {
  comment: '${VAR/pattern/replacement} and ${VAR//pattern/replacement}',
  begin: '(\\$\\{)([A-Za-z_][A-Za-z0-9_]*)(//?)',
  beginCaptures: {
    1: { name: 'punctuation.definition.variable.begin.dockerfile' },
    2: { name: 'variable.other.dockerfile' },
    3: { name: 'keyword.operator.expansion.dockerfile' },
  },
  end: '(\\})|$',
  endCaptures: { 1: { name: 'punctuation.definition.variable.end.dockerfile' } },
  name: 'meta.parameter-expansion.dockerfile',
  patterns: [
    {
      begin: '\\G(?=[^}\\n])',
      end: '(/)|(?=\\})|$',
      endCaptures: { 1: { name: 'keyword.operator.expansion.dockerfile' } },
      patterns: expansionBody,
    },
    ...expansionBody,
  ],
};

// --- strings and escapes ------------------------------------------------------
repository['escape'] = {
  match: `${E}.`,
  name: 'constant.character.escape.dockerfile',
};
repository['string-double'] = {
  begin: '"',
  beginCaptures: { 0: { name: 'punctuation.definition.string.begin.dockerfile' } },
  end: `(")|${EOI}`,
  endCaptures: { 1: { name: 'punctuation.definition.string.end.dockerfile' } },
  name: 'string.quoted.double.dockerfile',
  patterns: [{ include: '#line-continuation' }, { include: '#escape' }, { include: '#variables' }],
};
repository['string-single'] = {
  begin: "'",
  beginCaptures: { 0: { name: 'punctuation.definition.string.begin.dockerfile' } },
  end: `(')|${EOI}`,
  endCaptures: { 1: { name: 'punctuation.definition.string.end.dockerfile' } },
  name: 'string.quoted.single.dockerfile',
  patterns: [{ include: '#line-continuation' }],
};
repository['strings'] = { patterns: [{ include: '#string-double' }, { include: '#string-single' }] };
repository['word-tokens'] = {
  comment: 'Arguments of instructions where the builder expands variables (ADD COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR ARG).',
  patterns: [{ include: '#line-continuation' }, { include: '#escape' }, { include: '#strings' }, { include: '#variables' }],
};

// --- JSON (exec) form -------------------------------------------------------------
// The builder uses the JSON form only when the whole rest parses as a JSON array of
// strings; `RUN [ "$A" = x ] && ...` is shell form. Look ahead on this physical line.
const JSON_STR = `"(?:[^"\\\\\\n]|\\\\.)*"`;
const JSON_ARRAY_AHEAD =
  `(?=${WS}*(?:\\]${WS}*$|${JSON_STR}(?:${WS}*,${WS}*${JSON_STR})*${WS}*(?:\\]${WS}*$|,?${WS}*${E}${WS}*$)|${E}${WS}*$))`;
function jsonForm(withVars) {
  const strPatterns = [
    { include: '#line-continuation' },
    { match: '\\\\(?:["\\\\/bfnrt]|u[0-9A-Fa-f]{4})', name: 'constant.character.escape.dockerfile' },
    { match: '\\\\.', name: 'invalid.illegal.unrecognized-string-escape.dockerfile' },
  ];
  if (withVars) strPatterns.push({ include: '#variables' });
  return {
    begin: `${BOW}(\\[)${JSON_ARRAY_AHEAD}`,
    beginCaptures: { 1: { name: 'punctuation.definition.array.begin.dockerfile' } },
    end: `(\\])|${EOI}`,
    endCaptures: { 1: { name: 'punctuation.definition.array.end.dockerfile' } },
    name: 'meta.array.exec-form.dockerfile',
    patterns: [
      { include: '#continuation-lines' },
      {
        begin: '"',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.dockerfile' } },
        end: `(")|${EOI}`,
        endCaptures: { 1: { name: 'punctuation.definition.string.end.dockerfile' } },
        name: 'string.quoted.double.json.dockerfile',
        patterns: strPatterns,
      },
      { match: ',', name: 'punctuation.separator.array.dockerfile' },
      { match: `[^\\s,\\]"${E}]+`, name: 'invalid.illegal.expected-string.dockerfile' },
    ],
  };
}
repository['exec-form'] = {
  comment: 'JSON form of RUN CMD ENTRYPOINT SHELL: no variable expansion by the builder.',
  ...jsonForm(false),
};
repository['exec-form-with-variables'] = {
  comment: 'JSON form of ADD COPY VOLUME: the builder expands variables.',
  ...jsonForm(true),
};

// --- flags --------------------------------------------------------------------
repository['flags'] = {
  comment: 'The --flag[=value] options right after the instruction keyword, possibly over continuation lines.',
  begin: `\\G(?=${WS})`,
  end: `(?=[^ \\t\\n])|${EOI}`,
  applyEndPatternLast: 1,
  patterns: [
    { include: '#continuation-lines' },
    { include: '#flag-mount' },
    { include: '#flag-from' },
    { include: '#flag' },
  ],
};
const flagCaptures = (valueCapture) => ({
  1: { name: 'entity.other.attribute-name.flag.dockerfile' },
  2: { name: 'punctuation.definition.flag.dockerfile' },
  3: { name: 'keyword.operator.assignment.dockerfile' },
  4: valueCapture,
});
repository['flag-mount'] = {
  match: `${BOW}((--)${kw('mount')})(=)(${FLAG_VALUE})`,
  name: 'meta.flag.mount.dockerfile',
  captures: flagCaptures({ name: 'meta.mount-options.dockerfile', patterns: [{ include: '#mount-options' }] }),
};
repository['flag-from'] = {
  match: `${BOW}((--)${kw('from')})(=)(${FLAG_VALUE})`,
  name: 'meta.flag.from.dockerfile',
  captures: flagCaptures({ name: 'entity.name.type.stage.reference.dockerfile', patterns: [{ include: '#variables' }] }),
};
repository['flag'] = {
  match: `${BOW}((--)[A-Za-z][A-Za-z0-9-]*)(?:(=)(${FLAG_VALUE}))?`,
  name: 'meta.flag.dockerfile',
  captures: flagCaptures({ name: 'string.unquoted.flag-value.dockerfile', patterns: [{ include: '#variables' }, { include: '#strings' }] }),
};
const MOUNT_VALUE = `(?:[^,\\s${E}"]|${E}\\S|"[^"\\n]*")*`;
repository['mount-options'] = {
  comment: 'type=cache,target=/root/.cache,sharing=locked,... inside --mount=',
  patterns: [
    {
      match: `(?<=[=,])(${kw('type')})(=)(${kw('cache|bind|tmpfs|secret|ssh')})(?=[,\\s]|$)`,
      captures: {
        1: { name: 'support.type.property-name.mount.dockerfile' },
        2: { name: 'keyword.operator.assignment.dockerfile' },
        3: { name: 'support.constant.mount-type.dockerfile' },
      },
    },
    {
      match: `(?<=[=,])(${kw('from')})(=)(${MOUNT_VALUE})`,
      captures: {
        1: { name: 'support.type.property-name.mount.dockerfile' },
        2: { name: 'keyword.operator.assignment.dockerfile' },
        3: { name: 'entity.name.type.stage.reference.dockerfile', patterns: [{ include: '#variables' }] },
      },
    },
    {
      match: `(?<=[=,])([A-Za-z][A-Za-z0-9_-]*)(?:(=)(${MOUNT_VALUE}))?`,
      captures: {
        1: { name: 'support.type.property-name.mount.dockerfile' },
        2: { name: 'keyword.operator.assignment.dockerfile' },
        3: { name: 'string.unquoted.mount-option-value.dockerfile', patterns: [{ include: '#variables' }] },
      },
    },
    { match: ',', name: 'punctuation.separator.comma.dockerfile' },
  ],
};

// --- shell ------------------------------------------------------------------
repository['shell-text'] = {
  comment:
    'Shell text of one physical line, up to a line continuation or a heredoc marker. ' +
    'It is handed to source.shell inside a capture so a shell construct can never run past the instruction.',
  match: `(?=[^ \\t])((?:(?!${HEREDOC_AHEAD})[^${E}\\n]|${E}(?!${WS}*$))+)`,
  captures: {
    1: { name: 'meta.embedded.line.shell', patterns: [{ include: '#variables' }, { include: 'source.shell' }] },
  },
};
repository['shell-form'] = {
  patterns: [{ include: '#continuation-lines' }, { include: '#exec-form' }, { include: '#shell-text' }],
};

// --- heredocs ------------------------------------------------------------------
// Each heredoc is a begin/end rule (exact terminator through a back-reference) wrapping
// a begin/while rule for the body (the while check also stops on the terminator, so an
// embedded grammar can never swallow it).
function heredocKind(kind) {
  const shell = kind === 'shell';
  const bodyScope = shell
    ? 'meta.heredoc.content.dockerfile meta.embedded.block.shell'
    : 'meta.heredoc.content.dockerfile string.unquoted.heredoc.dockerfile';
  const bodyPatterns = (expand) =>
    shell
      ? expand
        ? [{ include: '#variables' }, { include: 'source.shell' }]
        : [{ include: 'source.shell' }, { include: '#keep-alive' }]
      : expand
        ? [{ include: '#variables' }]
        : [];
  const restOfLine = shell
    ? [{ include: '#heredoc-marker' }, { include: '#shell-text' }]
    : [{ include: '#heredoc-marker' }, { include: '#word-tokens' }];
  const single = (dash, quoted) => {
    const open = dash ? '<<-' : '<<(?!-)';
    const q = quoted ? `(["'])` : '()';
    const qEnd = quoted ? '\\1' : '';
    const tabs = dash ? '\\t*' : '';
    const name = `heredoc-${kind}${dash ? '-dash' : ''}${quoted ? '-quoted' : ''}`;
    repository[name] = {
      begin: `${BOW}(?=${open}${q}(${DELIM})${qEnd}(?![A-Za-z0-9_.-]))`,
      end: `^(${tabs})(\\2)$`,
      endCaptures: {
        0: { name: 'meta.heredoc.end.dockerfile' },
        2: { name: 'entity.name.tag.heredoc.dockerfile' },
      },
      name: 'meta.heredoc.dockerfile',
      patterns: [
        {
          begin: `\\G(${open})(${quoted ? `["']` : ''})(${DELIM})(${quoted ? '\\2' : ''})(.*)$`,
          beginCaptures: {
            1: { name: 'keyword.operator.heredoc.dockerfile' },
            2: { name: 'punctuation.definition.heredoc.quote.begin.dockerfile' },
            3: { name: 'entity.name.tag.heredoc.dockerfile' },
            4: { name: 'punctuation.definition.heredoc.quote.end.dockerfile' },
            5: { patterns: restOfLine },
          },
          while: `^(?!${tabs}\\3$)`,
          contentName: bodyScope,
          patterns: bodyPatterns(!quoted),
        },
      ],
    };
    return name;
  };
  const names = [single(true, true), single(true, false), single(false, true), single(false, false)];
  // Two heredocs on one line: the outer rule ends at the second terminator, the first
  // heredoc is handled by the single rules, the second body by a while rule that breaks
  // on any single-word line (it is re-entered when that word is not the terminator).
  const pairName = `heredoc-${kind}-pair`;
  repository[pairName] = {
    begin: `${BOW}(?=<<-?(["']?)${DELIM}\\1(?![A-Za-z0-9_.-])[^\\n]*?[ \\t]<<-?(["']?)(${DELIM})\\2(?![A-Za-z0-9_.-]))`,
    end: `^\\t*(\\3)$`,
    endCaptures: {
      0: { name: 'meta.heredoc.end.dockerfile' },
      1: { name: 'entity.name.tag.heredoc.dockerfile' },
    },
    name: 'meta.heredoc.dockerfile',
    patterns: [
      ...names.map((n) => ({ include: `#${n}` })),
      {
        begin: '^',
        while: `^(?!${WS}*${DELIM}${WS}*$)`,
        contentName: bodyScope,
        patterns: bodyPatterns(true),
      },
    ],
  };
  repository[`heredocs-${kind}`] = { patterns: [{ include: `#${pairName}` }, ...names.map((n) => ({ include: `#${n}` }))] };
}
heredocKind('shell');
heredocKind('file');
repository['keep-alive'] = {
  comment:
    'Never matches. vscode-textmate drops a rule whose only include cannot be resolved, so rules that only ' +
    'include source.shell also include this to keep working (as plain text) when no shell grammar is installed.',
  match: '(?!)',
};
repository['heredoc-marker'] = {
  comment: 'A further heredoc marker on the line of the first one.',
  match: `${BOW}(<<-?)(["']?)(${DELIM})(\\2)`,
  captures: {
    1: { name: 'keyword.operator.heredoc.dockerfile' },
    2: { name: 'punctuation.definition.heredoc.quote.begin.dockerfile' },
    3: { name: 'entity.name.tag.heredoc.dockerfile' },
    4: { name: 'punctuation.definition.heredoc.quote.end.dockerfile' },
  },
};

// --- key=value (ENV LABEL ARG) ------------------------------------------------------
const unquotedValue = { match: `[^\\s"'$${E}]+`, name: 'string.unquoted.value.dockerfile' };
const valuePatterns = [{ include: '#escape' }, { include: '#strings' }, { include: '#variables' }, unquotedValue];
function keyValue(keyRegex, keyScope) {
  return {
    begin: `${BOW}(${keyRegex})(=)`,
    beginCaptures: {
      1: { name: keyScope },
      2: { name: 'keyword.operator.assignment.dockerfile' },
    },
    end: `(?=[ \\t\\n]|${E}${WS}*$)`,
    name: 'meta.key-value.dockerfile',
    patterns: valuePatterns,
  };
}
function legacyKeyValue(keyRegex, keyScope) {
  return {
    comment: 'Legacy `KEY value with spaces` form (no = in the first word).',
    begin: `\\G${WS}+(${keyRegex})(?=${WS}+[^ \\t\\n])`,
    beginCaptures: { 1: { name: keyScope } },
    end: EOI,
    name: 'meta.key-value.legacy.dockerfile',
    patterns: [{ include: '#continuation-lines' }, ...valuePatterns],
  };
}
const ENV_KEY = `[^\\s="'${E}$]+`;
const LABEL_KEY = `"(?:[^"${E}\\n]|${E}.)*"|'[^'\\n]*'|[^\\s="'${E}$]+`;

// --- instructions -------------------------------------------------------------
const instructionRules = [];
function instruction(keyword, patterns, extra = {}) {
  const name = `instruction-${keyword.toLowerCase()}`;
  repository[name] = {
    begin: `^${WS}*(?:(${kw('ONBUILD')})${WS}+)?(${kw(keyword)})(?=${WS}|$)`,
    beginCaptures: {
      1: { name: 'keyword.other.special-method.dockerfile' },
      2: { name: 'keyword.other.special-method.dockerfile' },
    },
    end: EOI,
    name: `meta.instruction.${keyword.toLowerCase()}.dockerfile`,
    patterns,
    ...extra,
  };
  instructionRules.push({ include: `#${name}` });
}

const IMG_ATOM = `(?:[A-Za-z0-9._/-]|${VAR_INLINE})`;
instruction('FROM', [
  { include: '#continuation-lines' },
  { include: '#flags' },
  {
    match: `${BOW}(${kw('AS')})(?:${WS}+([^\\s${E}]+))?${EOW}`,
    captures: {
      1: { name: 'keyword.other.as.dockerfile' },
      2: { name: 'entity.name.type.stage.dockerfile', patterns: [{ include: '#variables' }] },
    },
  },
  { match: `${BOW}${kw('scratch')}${EOW}`, name: 'constant.language.scratch.dockerfile' },
  {
    match: `${BOW}((?:${IMG_ATOM}+:[0-9]+/)?${IMG_ATOM}+)(?:(:)((?:[A-Za-z0-9_.-]|${VAR_INLINE})+))?(?:(@)([A-Za-z0-9_+.-]+:[A-Za-z0-9]+|${VAR_INLINE}))?${EOW}`,
    captures: {
      1: { name: 'entity.name.type.image.dockerfile', patterns: [{ include: '#variables' }] },
      2: { name: 'punctuation.separator.tag.dockerfile' },
      3: { name: 'constant.other.image-tag.dockerfile', patterns: [{ include: '#variables' }] },
      4: { name: 'punctuation.separator.digest.dockerfile' },
      5: { name: 'constant.other.digest.dockerfile', patterns: [{ include: '#variables' }] },
    },
  },
  { include: '#word-tokens' },
]);

instruction('RUN', [
  { include: '#continuation-lines' },
  { include: '#flags' },
  { include: '#exec-form' },
  { include: '#heredocs-shell' },
  { include: '#shell-text' },
]);
instruction('CMD', [{ include: '#shell-form' }]);
instruction('ENTRYPOINT', [{ include: '#shell-form' }]);
instruction('SHELL', [{ include: '#continuation-lines' }, { include: '#exec-form' }, { include: '#word-tokens' }]);

instruction('LABEL', [
  { include: '#continuation-lines' },
  legacyKeyValue(LABEL_KEY, 'entity.other.attribute-name.label.dockerfile'),
  keyValue(LABEL_KEY, 'entity.other.attribute-name.label.dockerfile'),
  { include: '#word-tokens' },
]);
instruction('ENV', [
  { include: '#continuation-lines' },
  legacyKeyValue(ENV_KEY, 'variable.other.env.dockerfile'),
  keyValue(ENV_KEY, 'variable.other.env.dockerfile'),
  { include: '#word-tokens' },
]);
instruction('ARG', [
  { include: '#continuation-lines' },
  keyValue(ENV_KEY, 'variable.parameter.arg.dockerfile'),
  { match: `${BOW}(${ENV_KEY})(?=${WS}|${E}|$)`, captures: { 1: { name: 'variable.parameter.arg.dockerfile' } } },
  { include: '#word-tokens' },
]);

instruction('EXPOSE', [
  { include: '#continuation-lines' },
  {
    match: `${BOW}([0-9]+)(?:(-)([0-9]+))?(?:(/)(${kw('tcp|udp|sctp')}|[A-Za-z]+))?${EOW}`,
    captures: {
      1: { name: 'constant.numeric.integer.port.dockerfile' },
      2: { name: 'punctuation.separator.range.dockerfile' },
      3: { name: 'constant.numeric.integer.port.dockerfile' },
      4: { name: 'punctuation.separator.protocol.dockerfile' },
      5: { name: 'constant.language.protocol.dockerfile' },
    },
  },
  { include: '#variables' },
  {
    match: `(/)(${kw('tcp|udp|sctp')})${EOW}`,
    captures: {
      1: { name: 'punctuation.separator.protocol.dockerfile' },
      2: { name: 'constant.language.protocol.dockerfile' },
    },
  },
  { include: '#word-tokens' },
]);

const copyLike = [
  { include: '#continuation-lines' },
  { include: '#flags' },
  { include: '#exec-form-with-variables' },
  { include: '#heredocs-file' },
  { include: '#word-tokens' },
];
instruction('ADD', copyLike);
instruction('COPY', copyLike);
instruction('VOLUME', [{ include: '#continuation-lines' }, { include: '#exec-form-with-variables' }, { include: '#word-tokens' }]);
instruction('WORKDIR', [{ include: '#word-tokens' }]);

const USER_PART = `(?:[^\\s:$${E}]|${VAR_INLINE})+`;
instruction('USER', [
  { include: '#continuation-lines' },
  {
    match: `${BOW}(${USER_PART})(?:(:)(${USER_PART}))?`,
    captures: {
      1: { name: 'string.unquoted.user.dockerfile', patterns: [{ include: '#variables' }] },
      2: { name: 'punctuation.separator.user-group.dockerfile' },
      3: { name: 'string.unquoted.group.dockerfile', patterns: [{ include: '#variables' }] },
    },
  },
  { include: '#word-tokens' },
]);

instruction('STOPSIGNAL', [
  { include: '#continuation-lines' },
  { match: `${BOW}[0-9]+${EOW}`, name: 'constant.numeric.integer.signal.dockerfile' },
  { match: `${BOW}${kw('(?:SIG)?[A-Z][A-Z0-9]*(?:[+-][0-9]+)?')}${EOW}`, name: 'constant.language.signal.dockerfile' },
  { include: '#word-tokens' },
]);

instruction('HEALTHCHECK', [
  { include: '#continuation-lines' },
  { include: '#flags' },
  { match: `${BOW}${kw('NONE')}${EOW}`, name: 'constant.language.none.dockerfile' },
  {
    begin: `${BOW}(${kw('CMD')})${EOW}`,
    beginCaptures: { 1: { name: 'keyword.other.special-method.dockerfile' } },
    end: EOI,
    name: 'meta.healthcheck.cmd.dockerfile',
    patterns: [{ include: '#shell-form' }],
  },
]);

instruction('MAINTAINER', [
  { include: '#continuation-lines' },
  { match: `[^ \\t\\n${E}](?:[^${E}\\n]|${E}(?!${WS}*$))*`, name: 'string.unquoted.maintainer.dockerfile' },
]);

repository['instruction-onbuild'] = {
  comment: 'ONBUILD followed by an instruction on a later (continued) line, or by something unknown.',
  begin: `^${WS}*(${kw('ONBUILD')})(?=${WS}|$)`,
  beginCaptures: { 1: { name: 'keyword.other.special-method.dockerfile' } },
  end: EOI,
  name: 'meta.instruction.onbuild.dockerfile',
  patterns: [{ include: '#continuation-lines' }, { include: '#instructions' }, { include: '#word-tokens' }],
};
repository['instructions'] = { patterns: [...instructionRules, { include: '#instruction-onbuild' }] };
return repository;
}

// rules that do not depend on the escape character are not duplicated
const SHARED = new Set(['comment', 'blank-continuation-line', 'keep-alive', 'heredoc-marker']);
const main = build('\\\\');
Object.assign(repository, main);
const bt = build('`');
const rename = (node) => {
  if (Array.isArray(node)) return node.map(rename);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'include' && typeof v === 'string' && v.startsWith('#') && !SHARED.has(v.slice(1)) && v.slice(1) in bt) out[k] = `${v}-bt`;
      else out[k] = rename(v);
    }
    return out;
  }
  return node;
};
for (const [k, v] of Object.entries(bt)) {
  if (SHARED.has(k)) continue;
  repository[`${k}-bt`] = rename(v);
}

const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Dockerfile',
  scopeName: 'source.dockerfile.dockwright',
  fileTypes: ['Dockerfile', 'Containerfile', 'dockerfile', 'containerfile'],
  comment:
    'Dockwright Dockerfile grammar. Instructions end at a line end that is not continued; a line continuation consumes the newline. ' +
    'Rules named *-bt are copies for files that start with the `# escape=` directive set to a backtick: same structure and scopes, ' +
    'with the backtick as escape/continuation character. Keep both copies in sync (test/grammar checks the structure).',
  patterns: [{ include: '#directives' }, { include: '#comment' }, { include: '#instructions' }],
  repository,
};

writeFileSync(OUT, JSON.stringify(grammar, null, 2) + '\n');
console.log('wrote', OUT, Object.keys(repository).length, 'repository rules');
