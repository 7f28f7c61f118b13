import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** What the stand-in az answers (the tenant of `account show`, the app id of `ad app create`). */
export const FAKE_AZ = { tenant: '99999999-9999-4999-8999-999999999999', appId: '11111111-1111-4111-8111-111111111111' } as const;

const SCRIPT = resolve(__dirname, '..', '..', 'infra', 'register-app.sh');

/**
 * A temp dir with a stand-in for the Azure CLI: canned answers; each call's arguments one tab-separated line in
 * `calls`; every `--body` kept in its own `body<n>.json`; what `--cert @<file>` pointed at kept in `uploaded.pem`
 * (register-app.sh deletes its temp file when it ends). No network, no Azure.
 */
export function fakeAz(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-az-'));
  writeFileSync(join(dir, 'az'), [
    '#!/usr/bin/env bash',
    // One line per call: arguments tab-separated, their own newlines (a --body document) as \n.
    '(IFS=$\'\\t\'; echo "${*//$\'\\n\'/\\\\n}") >> "$FAKE_AZ_DIR/calls"',
    'prev=""',
    'for arg in "$@"; do',
    '  if [[ $prev == --body ]]; then n=$(ls "$FAKE_AZ_DIR" | grep -c ^body || true); printf "%s" "$arg" > "$FAKE_AZ_DIR/body$n.json"; fi',
    '  if [[ $prev == --cert && $arg == @* ]]; then cat "${arg#@}" > "$FAKE_AZ_DIR/uploaded.pem"; fi',
    '  prev=$arg',
    'done',
    'case "$*" in',
    `  "account show"*) echo ${FAKE_AZ.tenant} ;;`,
    `  "ad app create"*) echo ${FAKE_AZ.appId} ;;`,
    '  "ad app show"*) echo 22222222-2222-4222-8222-222222222222 ;;',
    '  "ad app credential reset"*"--cert"*) echo \'{"appId": "x", "password": null}\' ;;',
    '  "ad app credential reset"*) echo s3cr3t ;;',
    '  *) echo "{}" ;;',
    'esac',
  ].join('\n'));
  chmodSync(join(dir, 'az'), 0o755);
  return dir;
}

export interface RegisterAppRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Each az call's arguments. */
  calls: string[][];
  /** The `--body` documents, in call order. */
  bodies: unknown[];
}

/** Runs infra/register-app.sh with the stand-in az of `dir` first on PATH. */
export function runRegisterApp(dir: string, ...args: string[]): RegisterAppRun {
  const result = spawnSync('bash', [SCRIPT, ...args], {
    env: { PATH: `${dir}:${process.env.PATH ?? ''}`, FAKE_AZ_DIR: dir, TMPDIR: dir }, encoding: 'utf8',
  });
  const callsFile = join(dir, 'calls');
  const calls = existsSync(callsFile) ? readFileSync(callsFile, 'utf8').trimEnd().split('\n').map((line) => line.split('\t')) : [];
  const bodies = readdirSync(dir).filter((name) => /^body\d+\.json$/.test(name)).sort((a, b) => parseInt(a.slice(4), 10) - parseInt(b.slice(4), 10))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, bodies };
}
