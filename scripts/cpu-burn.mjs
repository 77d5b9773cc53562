#!/usr/bin/env node
// Runs a command beside busy-looping processes, to prove the test suite does not depend on the
// machine's speed: `node scripts/cpu-burn.mjs [--burners N] -- npm test -- --ci`.
// Each burner is a child node process spinning one core; all are killed when the command ends
// (or this script is interrupted), and the command's exit status is this script's.
import { spawn } from 'node:child_process';
import process from 'node:process';

const say = (line) => process.stderr.write(`${line}\n`);

const args = process.argv.slice(2);
const dash = args.indexOf('--');
const own = dash === -1 ? args : args.slice(0, dash);
const command = dash === -1 ? [] : args.slice(dash + 1);
const at = own.indexOf('--burners');
const burners = at === -1 ? 2 : Number(own[at + 1]);
if (!Number.isInteger(burners) || burners < 0 || command.length === 0) {
  say('usage: node scripts/cpu-burn.mjs [--burners N] -- <command> [args…]');
  process.exit(2);
}

const SPIN = 'for (;;) { Math.sqrt(Math.random()); }';
const children = Array.from({ length: burners }, () =>
  spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' }),
);
const stopBurners = () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
};
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopBurners();
    process.exit(130);
  });
}
say(`cpu-burn: ${burners} busy-loop process(es) beside: ${command.join(' ')}`);

const run = spawn(command[0], command.slice(1), { stdio: 'inherit' });
run.on('error', (err) => {
  say(`cpu-burn: ${err.message}`);
  process.exitCode = 127;
  stopBurners();
});
run.on('exit', (code, signal) => {
  stopBurners();
  process.exitCode = code ?? (signal ? 128 : 1);
});
