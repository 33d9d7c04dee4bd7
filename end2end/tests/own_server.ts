import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The server under test: the debug build made by `cargo leptos build`. */
export const serverBin =
  process.env.CHUANGKOU_SERVER_BIN ?? `${process.env.HOME}/.cache/chuangkou/target/debug/server`;

/** What every test server runs with, on a fresh SQLite file in `dir` with the demo data. */
export const serverEnv = (dir: string) => ({
  CHUANGKOU_DATA_DIR: dir,
  // Many logins from one address in a short suite.
  CHUANGKOU_LOGIN_ATTEMPTS_PER_MINUTE_PER_IP: '1000',
  CHUANGKOU_LOGIN_ATTEMPTS_PER_MINUTE: '100',
  // Many booking look-ups from one address (each booking page reads its booking).
  CHUANGKOU_PUBLIC_LOOKUPS_PER_MINUTE: '1000',
  // Many tickets and bookings from one address (a phone takes a tenth of these tickets).
  CHUANGKOU_PUBLIC_WRITES_PER_HOUR: '10000',
  RUST_LOG: 'warn',
});

export interface OwnServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * Starts a demo server of the test's own, whose clock starts at `clock` (hall time) when the
 * test starts, not when the suite did: a test that needs a few minutes of a given hour gets them
 * wherever the suite runs it. `configFile` places the repository (the server serves its assets
 * from there).
 */
export async function startOwnServer(
  configFile: string,
  clock: string,
  port: number,
  env: Record<string, string> = {},
): Promise<OwnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'chuangkou-e2e-own-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(serverBin, ['--demo', '--demo-clock', clock, '--addr', `127.0.0.1:${port}`], {
    cwd: join(dirname(configFile), '..'),
    env: { ...process.env, ...serverEnv(dir), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; waited < 120_000; waited += 200) {
    if (child.exitCode !== null) break;
    const up = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false);
    if (up) return { url, close };
    await new Promise((r) => setTimeout(r, 200));
  }
  await close();
  throw new Error(`the server on ${url} did not start`);
}
