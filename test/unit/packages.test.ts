/**
 * Package-manager commands (server/src/core/semantic/packages.ts): which command runs which manager,
 * its action, options and packages, where each package name is, and whether it is pinned the way
 * hadolint reads pinning (the cases of hadolint's DL3008, DL3013, DL3016, DL3018, DL3028, DL3033,
 * DL3037 and DL3041 specs, plus our corrections).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShell } from '../../server/src/core/shell/parser';
import {
  commandName,
  findOption,
  hasOption,
  optionValues,
  packageCommand,
  packageCommands,
  removesDirectory,
  rmTargets,
  valueOffsets,
  type PackageCommand,
} from '../../server/src/core/semantic/packages';

function commands(script: string): PackageCommand[] {
  return packageCommands(parseShell(script));
}

function one(script: string): PackageCommand {
  const all = commands(script);
  assert.equal(all.length, 1, `one package command in ${script}: ${all.map((c) => c.manager).join(', ')}`);
  return all[0];
}

/** `name` for pinned packages, `!name` for unpinned ones, `?name` for dynamic ones. */
function pins(script: string): string[] {
  return commands(script).flatMap((c) => c.packages.map((p) => (p.dynamic ? '?' : p.pinned ? '' : '!') + p.name));
}

test('recognises the managers, looking through wrappers', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['apt-get install -y curl', 'apt-get', 'install'],
    ['/usr/bin/apt-get update', 'apt-get', 'update'],
    ['apt install curl', 'apt', 'install'],
    ['aptitude install curl', 'aptitude', 'install'],
    ['apk add curl', 'apk', 'add'],
    ['pip install flask', 'pip', 'install'],
    ['pip3.12 install flask', 'pip', 'install'],
    ['python3 -m pip install flask', 'pip', 'install'],
    ['python -u -m pip3 install flask', 'pip', 'install'],
    ['npm i express', 'npm', 'install'],
    ['npm add express', 'npm', 'install'],
    ['npm clean-install', 'npm', 'ci'],
    ['gem i rake', 'gem', 'install'],
    ['yum install -y httpd', 'yum', 'install'],
    ['dnf install -y httpd', 'dnf', 'install'],
    ['microdnf install httpd', 'microdnf', 'install'],
    ['zypper -n in curl', 'zypper', 'install'],
    ['zypper dup', 'zypper', 'dist-upgrade'],
    ['zypper cc -a', 'zypper', 'clean'],
    ['sudo -E -u root apt-get install curl', 'apt-get', 'install'],
    ['env DEBIAN_FRONTEND=noninteractive apt-get install curl', 'apt-get', 'install'],
    ['eatmydata apt-get install curl', 'apt-get', 'install'],
    ['xargs -r -n 1 apk add', 'apk', 'add'],
    ['nice -n 10 pip install flask', 'pip', 'install'],
    ['DEBIAN_FRONTEND=noninteractive apt-get install curl', 'apt-get', 'install'],
    ['apt-get -yqq install curl', 'apt-get', 'install'],
    ['apt-get $APT_OPTS install curl', 'apt-get', 'install'],
    ['npm run install', 'npm', 'run'],
    ['apt-get', 'apt-get', undefined],
  ];
  for (const [script, manager, action] of cases) {
    const pc = one(script);
    assert.equal(pc.manager, manager, script);
    assert.equal(pc.action, action, script);
  }
  for (const script of ['pipenv install flask', 'pipx install black', 'apt-cache policy curl', 'echo apt-get install curl', 'command -v apt-get', '$PM install curl', 'python setup.py install', 'yarn add left-pad']) {
    assert.deepEqual(commands(script), [], script);
  }
});

test('finds commands anywhere in the script, nested ones included', () => {
  const all = commands('apt-get update && (cd /x && apt-get install -y a) || echo $(apk add b); if true; then pip install c; fi');
  assert.deepEqual(
    all.map((c) => `${c.manager} ${c.action}`),
    ['apt-get update', 'apt-get install', 'apk add', 'pip install'],
  );
});

test('options: clusters, attached and separate values, before and after the action', () => {
  const pc = one('apt-get -yq -o Dpkg::Options::=--force-confnew install --no-install-recommends -t bookworm-backports -oAPT::Install-Recommends=0 curl');
  assert.deepEqual(
    pc.options.map((o) => `${o.name}${o.value !== undefined ? '=' + o.value : ''}${o.beforeAction ? '<' : ''}`),
    ['y<', 'q<', 'o=Dpkg::Options::=--force-confnew<', 'no-install-recommends', 't=bookworm-backports', 'o=APT::Install-Recommends=0'],
  );
  assert.deepEqual(pc.operands.map((w) => w.value), ['curl']);
  assert.ok(hasOption(pc, 'no-install-recommends'));
  assert.ok(!hasOption(pc, 'no-cache'));
  assert.equal(findOption(pc, 't')?.valueWord?.value, 'bookworm-backports');
  assert.deepEqual(optionValues(pc, 'o', 'option'), ['Dpkg::Options::=--force-confnew', 'APT::Install-Recommends=0']);
  // `--name=value` and `--name value` for options that take a value.
  const apk = one('apk add --virtual .build-deps --repository=https://example.com/edge -X https://example.com/testing gcc');
  assert.deepEqual(apk.operands.map((w) => w.value), ['gcc']);
  assert.deepEqual(optionValues(apk, 'virtual', 'repository', 'X'), ['.build-deps', 'https://example.com/edge', 'https://example.com/testing']);
  // Options that take no value leave the next word alone.
  assert.deepEqual(one('pip install --no-deps --user flask==3.0.3').operands.map((w) => w.value), ['flask==3.0.3']);
  assert.deepEqual(one('npm install --global --loglevel verbose sax@1.4.1').operands.map((w) => w.value), ['sax@1.4.1']);
  assert.deepEqual(one('npm install --registry=https://r.example.com express').operands.map((w) => w.value), ['express']);
});

test('`--` ends options; for gem the rest are build flags', () => {
  assert.deepEqual(one('apt-get install -- -weird-name').operands.map((w) => w.value), ['-weird-name']);
  assert.deepEqual(one('gem install nokogiri:1.16.5 -- --use-system-libraries true').operands.map((w) => w.value), ['nokogiri:1.16.5']);
});

test('yum/dnf scopes: module, group, localinstall', () => {
  const m = one('yum module install -y nodejs:18');
  assert.deepEqual([m.action, m.scope, m.actionWord?.value], ['install', 'module', 'install']);
  assert.deepEqual(m.operands.map((w) => w.value), ['nodejs:18']);
  const g = one('yum groupinstall -y "Development Tools"');
  assert.deepEqual([g.action, g.scope, g.actionWord?.value], ['install', 'group', 'groupinstall']);
  const g2 = one('dnf group install -y base');
  assert.deepEqual([g2.action, g2.scope], ['install', 'group']);
  const l = one('yum localinstall -y /tmp/a.rpm');
  assert.deepEqual([l.action, l.scope], ['install', 'local']);
  const e = one('dnf --enablerepo epel --setopt=tsflags=nodocs install -y nginx');
  assert.deepEqual(e.operands.map((w) => w.value), ['nginx']);
});

test('package names and their exact offsets', () => {
  const script = `apt-get install -y curl=7.88.1-10 "git" 'libpq5:amd64'=15.8 nginx/bookworm-backports`;
  const pc = one(script);
  assert.deepEqual(
    pc.packages.map((p) => [p.name, script.slice(p.nameStart, p.nameEnd), p.version ?? null]),
    [
      ['curl', 'curl', '7.88.1-10'],
      ['git', 'git', null],
      ['libpq5:amd64', 'libpq5:amd64', '15.8'],
      ['nginx', 'nginx', 'bookworm-backports'],
    ],
  );
  const npm = 'npm install @types/node@20.11.0 express @scope/pkg';
  assert.deepEqual(
    one(npm).packages.map((p) => [npm.slice(p.nameStart, p.nameEnd), p.version ?? null]),
    [
      ['@types/node', '20.11.0'],
      ['express', null],
      ['@scope/pkg', null],
    ],
  );
  const pip = `pip install 'requests[socks]>=2.31' flask==3.0.3 "django ~= 5.0"`;
  assert.deepEqual(
    one(pip).packages.map((p) => pip.slice(p.nameStart, p.nameEnd)),
    ['requests[socks]', 'flask', 'django'],
  );
  const yum = 'yum install -y rpm-sign-4.16.1.3 gcc-c++-8.5.0 python3-devel';
  assert.deepEqual(
    one(yum).packages.map((p) => [yum.slice(p.nameStart, p.nameEnd), p.pinned]),
    [
      ['rpm-sign', true],
      ['gcc-c++', true],
      ['python3-devel', false],
    ],
  );
  assert.deepEqual(
    one('apk add bash@edge curl~8.9').packages.map((p) => p.name),
    ['bash', 'curl'],
  );
  assert.deepEqual(one('gem install rails:7.1.3').packages.map((p) => [p.name, p.version]), [['rails', '7.1.3']]);
});

test('apt pinning (hadolint DL3008)', () => {
  assert.deepEqual(pins('apt-get update && apt-get install python'), ['!python']);
  assert.deepEqual(pins('apt-get -yqq --no-install-recommends install nodejs=0.10'), ['nodejs']);
  assert.deepEqual(pins('apt-get install -y python-demjson=2.2.2* wget=1.16.1* git=1:2.5.0* ruby=1:2.1.*'), ['python-demjson', 'wget', 'git', 'ruby']);
  assert.deepEqual(pins('apt-get install ./wkhtmltox_0.12.5-1.bionic_amd64.deb'), ['./wkhtmltox_0.12.5-1.bionic_amd64.deb']);
  assert.deepEqual(pins('apt-get install -y --no-install-recommends -t jessie-backports openjdk-8-jdk=8u131-b11-1~bpo8+1'), ['openjdk-8-jdk']);
  assert.deepEqual(pins('apt-get install -y "$PKGS" curl'), ['?$PKGS', '!curl']);
});

test('pip pinning (hadolint DL3013)', () => {
  assert.deepEqual(pins('pip2 install MySQL_python'), ['!MySQL_python']);
  assert.deepEqual(pins('pip3 install MySQL_python==1.2.2 MySQL_python~=1.2.2 MySQL_python===1.2.2'), ['MySQL_python', 'MySQL_python', 'MySQL_python']);
  assert.deepEqual(pins("pip install 'alabaster>=0.7' 'alabaster<0.7' 'alabaster!=0.7'"), ['alabaster', 'alabaster', 'alabaster']);
  assert.deepEqual(pins('pip3 install mypkg.whl mypkg.tar.gz'), ['mypkg.whl', 'mypkg.tar.gz']);
  assert.deepEqual(pins('pip3 install --build /opt/yamllint --prefix /opt/p --root /r --target /t --trusted-host host yamllint==1.20.0'), ['yamllint']);
  assert.deepEqual(pins('python -m pip install --index-url url example'), ['!example']);
  assert.deepEqual(pins('pip install git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext'), ['git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext']);
  assert.deepEqual(pins('pip install git+https://github.com/rtfd/read-ext.git#egg=read-ext'), ['!git+https://github.com/rtfd/read-ext.git#egg=read-ext']);
  assert.deepEqual(pins('pip install --index-url https://user:pass@eg.com/foo --extra-index-url https://ex-eg.io/foo foobar==1.0.0'), ['foobar']);
  // Local paths, including the forms hadolint missed.
  assert.deepEqual(pins('pip install . ./src .[dev] /opt/pkg gitpython'), ['.', './src', '.[dev]', '/opt/pkg', '!gitpython']);
  const r = one('pip install -r requirements.txt -c constraints.txt');
  assert.deepEqual(r.operands, []);
  assert.ok(hasOption(r, 'r') && hasOption(r, 'c'));
  // `-e` takes the project as its value.
  assert.deepEqual(one('pip install -e ./src').operands, []);
});

test('npm pinning (hadolint DL3016)', () => {
  assert.deepEqual(pins('npm install'), []);
  assert.deepEqual(pins('npm install express@4.1.1 sax@0.1.1 express@"4.1.1"'), ['express', 'sax', 'express']);
  assert.deepEqual(pins('npm install @myorg/privatepackage@">=0.1.0 <0.2.0" @myorg/privatepackage'), ['@myorg/privatepackage', '!@myorg/privatepackage']);
  assert.deepEqual(pins('npm install package-v1.2.3.tar package-v1.2.3.tar.gz package-v1.2.3.tgz'), ['package-v1.2.3.tar', 'package-v1.2.3.tar.gz', 'package-v1.2.3.tgz']);
  assert.deepEqual(pins('npm install /folder ./folder ../folder ~/folder'), ['/folder', './folder', '../folder', '~/folder']);
  assert.deepEqual(
    pins('npm install git+ssh://git@github.com:npm/npm.git#v1.0.27 git+http://isaacs@github.com/npm/npm#semver:^5.0 git://github.com/npm/npm.git'),
    ['git+ssh://git@github.com:npm/npm.git#v1.0.27', 'git+http://isaacs@github.com/npm/npm#semver:^5.0', '!git://github.com/npm/npm.git'],
  );
  assert.deepEqual(pins('npm install acme/widgets#3c5d2a1 acme/widgets github:acme/lib'), ['acme/widgets#3c5d2a1', '!acme/widgets', '!github:acme/lib']);
});

test('apk pinning (hadolint DL3018)', () => {
  assert.deepEqual(pins('apk add flex'), ['!flex']);
  assert.deepEqual(pins('apk add --no-cache flex=2.6.4-r1 git~2.52.0'), ['flex', 'git']);
  assert.deepEqual(pins('apk add --virtual build-dependencies python-dev=1.1.1 build-base=2.2.2'), ['python-dev', 'build-base']);
  assert.deepEqual(pins('apk add mypackage-1.1.1.apk'), ['mypackage-1.1.1.apk']);
});

test('gem pinning (hadolint DL3028)', () => {
  assert.deepEqual(pins('gem i bunlder:1 nokogiri'), ['bunlder', '!nokogiri']);
  assert.deepEqual(pins('gem install bundler:2.0.1 -- --use-system-libraries=true'), ['bundler']);
  const v = one("gem install bundler -v '2.0.1'");
  assert.ok(hasOption(v, 'v'));
  assert.deepEqual(v.operands.map((w) => w.value), ['bundler']);
  assert.ok(hasOption(one("gem install bundler --version='2.0.1'"), 'version'));
  assert.deepEqual(pins('gem install ./pkg/acme-1.0.0.gem'), ['./pkg/acme-1.0.0.gem']);
});

test('yum/dnf pinning (hadolint DL3033, DL3041)', () => {
  assert.deepEqual(pins('yum install -y tomcat'), ['!tomcat']);
  assert.deepEqual(pins('yum install -y tomcat-9.2 openssl-1:1.1.1k rpm-sign-4.16.1.3 gcc-c++-1.1.1'), ['tomcat', 'openssl', 'rpm-sign', 'gcc-c++']);
  assert.deepEqual(pins('yum install -y "git-core-${GIT_VER}" tomcat-$VERSION'), ['?git-core', '?tomcat']);
  assert.deepEqual(pins('yum module install -y tomcat tomcat:9'), ['!tomcat', 'tomcat']);
  assert.deepEqual(pins('dnf install -y python3-devel java-11-openjdk /tmp/x.rpm'), ['!python3-devel', 'java', '/tmp/x.rpm']);
});

test('zypper pinning (hadolint DL3037)', () => {
  // Unquoted, `curl>=7.79` is `curl` with a redirect: constraints are quoted in real scripts.
  assert.deepEqual(pins(`zypper install -y curl curl=7.79 'curl>=7.79' "curl<8" /tmp/x.rpm`), ['!curl', 'curl', 'curl', 'curl', '/tmp/x.rpm']);
  const pc = one('zypper --non-interactive --root /mnt install --no-recommends -r repo-oss curl=7.79');
  assert.ok(hasOption(pc, 'non-interactive'));
  assert.deepEqual(pc.operands.map((w) => w.value), ['curl=7.79']);
});

test('valueOffsets maps the value through quotes and escapes', () => {
  const script = `echo a"b c"'d'\\e`;
  const w = parseShell(script).commands[0].args[0];
  assert.equal(w.value, 'ab cde');
  const offsets = valueOffsets(w)!;
  assert.deepEqual([...w.value].map((_, i) => script[offsets[i]]), [...w.value]);
});

test('removesDirectory, rmTargets and commandName', () => {
  const cmds = parseShell('rm -rf /var/lib/apt/lists/* && sudo rm -r /var/lib/apt/lists && rm -f /var/lib/apt/lists/x && rm -rf /var/lib/apt/listsX && ls').commands;
  assert.deepEqual(
    cmds.map((c) => removesDirectory(c, '/var/lib/apt/lists')),
    [true, true, false, false, false],
  );
  assert.deepEqual(cmds.map(commandName), ['rm', 'rm', 'rm', 'rm', 'ls']);
  assert.deepEqual(cmds.map(rmTargets), [
    { paths: ['/var/lib/apt/lists/*'], recursive: true },
    { paths: ['/var/lib/apt/lists'], recursive: true },
    { paths: ['/var/lib/apt/lists/x'], recursive: false },
    { paths: ['/var/lib/apt/listsX'], recursive: true },
    undefined,
  ]);
});

test('a command reads the same through packageCommand and packageCommands', () => {
  const s = parseShell('apt-get install -y curl');
  assert.deepEqual(packageCommand(s.commands[0])?.packages.map((p) => p.name), packageCommands(s)[0].packages.map((p) => p.name));
});
