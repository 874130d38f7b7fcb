/**
 * The run sandbox on this machine, through the workspace Jest runner: a passing and a failing suite
 * (with N/* stubs), an infinite loop killed by CPU time, a runaway wall clock, a memory bomb, reading a
 * file outside the run's dir, and a network connection (even to the host's loopback). No mocks: real
 * processes, real Jest, real limits (small ones, so the test is quick on a loaded machine).
 */
import { describe, expect, it } from 'vitest';
import { runJestTests } from './jest-run.ts';
import { DEFAULT_LIMITS, sandboxAvailable } from './sandbox.ts';

const SCRIPT = {
  path: 'FileCabinet/SuiteScripts/greeting.js',
  content: `/**
 * @NApiVersion 2.1
 * @NModuleScope SameAccount
 */
define(['N/record'], (record) => ({
  greet: (name) => 'Hello ' + name,
  customerName: (id) => record.load({ type: 'customer', id }).getValue({ fieldId: 'companyname' }),
}));
`,
};
const test = (body: string) => ({ path: '__tests__/greeting.test.js', content: body });
const SMALL = { ...DEFAULT_LIMITS, cpuSeconds: 8, wallMs: 60_000, heapMb: 128, memoryBytes: 2 * 1024 ** 3 };
const run = (body: string, limits = SMALL) => runJestTests([SCRIPT, test(body)], limits);

describe.runIf(sandboxAvailable())('the Jest run sandbox', { timeout: 120_000 }, () => {
  it('passes a passing suite that uses the N/record stub, with a line per test on stdout', async () => {
    const outcome = await run(`
const greeting = require('../FileCabinet/SuiteScripts/greeting.js');
const record = require('N/record');
jest.mock('N/record');
test('greets', () => expect(greeting.greet('Ada')).toBe('Hello Ada'));
test('reads the customer', () => {
  record.load.mockReturnValue({ getValue: () => 'Acme' });
  expect(greeting.customerName(7)).toBe('Acme');
});`);
    expect(outcome.event).toBe('pass');
    expect(outcome.stdout).toContain('PASS greets');
    expect(outcome.stdout).toContain('Tests: 2 passed, 0 failed, 2 total');
    expect(outcome.report).toMatchObject({
      reason: null,
      limit: null,
      tests: { total: 2, passed: 2, failed: 0 },
    });
  });

  it('fails a failing suite and says which test', async () => {
    const outcome = await run(`test('wrong', () => expect(1 + 1).toBe(3));`);
    expect(outcome.event).toBe('fail');
    expect(outcome.stdout).toContain('FAIL wrong');
    expect(outcome.report).toMatchObject({ limit: null, tests: { total: 1, failed: 1 } });
  });

  it('kills an infinite loop by CPU time', async () => {
    const outcome = await run(`test('spins', () => { for (;;) {} });`, { ...SMALL, cpuSeconds: 3 });
    expect(outcome.event).toBe('fail');
    expect(outcome.report['limit']).toBe('cpu_time');
  });

  it('kills a run that outlives the wall clock even without using CPU', async () => {
    const outcome = await run(
      `test('waits', () => new Promise(() => setInterval(() => {}, 1000)), 600000);`,
      {
        ...SMALL,
        wallMs: 4000,
      },
    );
    expect(outcome.event).toBe('fail');
    expect(outcome.report['limit']).toBe('wall_time');
  });

  it('kills a memory bomb', async () => {
    const outcome = await run(
      `test('eats', () => { const a = []; for (;;) a.push(new Array(1e6).fill({ x: 1 })); });`,
    );
    expect(outcome.event).toBe('fail');
    expect(outcome.report['limit']).toBe('memory');
  });

  it('cannot read a file outside its dir, nor connect to the network or the host', async () => {
    const outcome = await run(`
const fs = require('fs');
const net = require('net');
const connect = (port, host) => new Promise((resolve, reject) => {
  const socket = net.connect(port, host, () => resolve('connected'));
  socket.on('error', reject);
});
test('reads /etc/hostname', () => expect(() => fs.readFileSync('/etc/hostname', 'utf8')).toThrow());
test('reads the server source', () => expect(() => fs.readFileSync(${JSON.stringify(import.meta.filename)}, 'utf8')).toThrow());
test('connects out', () => expect(connect(443, '1.1.1.1')).rejects.toThrow());
test('connects to the host', () => expect(connect(5432, '127.0.0.1')).rejects.toThrow());`);
    expect(outcome.stdout).toContain('Tests: 4 passed, 0 failed, 4 total');
    expect(outcome.event).toBe('pass');
  });

  it('ends as error when the workspace has no tests', async () => {
    const outcome = await runJestTests([SCRIPT], SMALL);
    expect(outcome.event).toBe('crash');
    expect(outcome.stderr).toContain('no Jest tests');
  });
});
