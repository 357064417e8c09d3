import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CircuitBreaker } from '../../models/network/servers/circuitBreaker';
import { checkServerUrl, consentKey, isLoopbackHost } from '../../models/network/servers/hostPolicy';

describe('server host policy: loopback by default, a named remote host over https only', () => {
  test('loopback hosts pass without any setting, http or https', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:11434', 'http://[::1]:1234', 'https://127.0.0.5', 'http://LOCALHOST:8080/v1/']) {
      const v = checkServerUrl(url, []);
      assert.ok(v.ok, `${url}: ${!v.ok && v.reason}`);
      assert.equal(v.ok && v.target.loopback, true);
    }
    const v = checkServerUrl('http://LOCALHOST:8080/v1/', []);
    assert.ok(v.ok);
    assert.equal(v.target.origin, 'http://localhost:8080');
    assert.equal(v.target.basePath, '/v1');
    assert.equal(v.target.port, 8080);
  });
  test('a remote host is refused unless the machine setting names it', () => {
    const v = checkServerUrl('https://gpu.team.example:8443', []);
    assert.equal(v.ok, false);
    assert.match(!v.ok ? v.reason : '', /allowedRemoteHosts/);
    assert.equal(checkServerUrl('https://gpu.team.example:8443', ['other.example']).ok, false);
    assert.equal(checkServerUrl('https://gpu.team.example:8443', ['gpu.team.example']).ok, true);
    assert.equal(checkServerUrl('https://gpu.team.example:8443', ['GPU.team.example:8443']).ok, true);
    assert.equal(checkServerUrl('https://gpu.team.example:8443', ['gpu.team.example:9000']).ok, false, 'host:port pins the port');
  });
  test('names that only look local are remote', () => {
    for (const h of ['127.0.0.1.nip.io', 'localhost.example', '127.0.0.256', '10.0.0.1', '0.0.0.0', '192.168.1.2', 'localhost6']) {
      assert.equal(isLoopbackHost(h), false, h);
      assert.equal(checkServerUrl(`http://${h}:8080`, []).ok, false, h);
    }
    assert.equal(isLoopbackHost('127.1.2.3'), true);
  });
  test('an allowed remote host still needs https', () => {
    const v = checkServerUrl('http://gpu.team.example:8080', ['gpu.team.example']);
    assert.equal(v.ok, false);
    assert.match(!v.ok ? v.reason : '', /https/);
  });
  test('credentials, queries, other schemes and garbage are refused with a reason', () => {
    for (const url of ['http://user:pw@127.0.0.1:8080', 'http://127.0.0.1:8080/?key=1', 'ftp://127.0.0.1', 'file:///etc/passwd', 'not a url', '']) {
      const v = checkServerUrl(url, ['127.0.0.1']);
      assert.equal(v.ok, false, url);
      assert.ok(!v.ok && v.reason.length > 10, url);
    }
  });
  test('consent is remembered per host and port', () => {
    const a = checkServerUrl('https://gpu.team.example', ['gpu.team.example']);
    const b = checkServerUrl('https://gpu.team.example:8443', ['gpu.team.example']);
    assert.ok(a.ok && b.ok);
    assert.equal(consentKey(a.target), 'gpu.team.example:443');
    assert.notEqual(consentKey(a.target), consentKey(b.target));
  });
});

describe('circuit breaker: a failed server is left alone for a doubling backoff', () => {
  test('refuses during the backoff, lets one trial through after it, closes on success', () => {
    let now = 0;
    const b = new CircuitBreaker(1000, 8000, () => now);
    assert.equal(b.tryAcquire(), true);
    b.failure();
    assert.equal(b.tryAcquire(), false);
    now = 999;
    assert.equal(b.tryAcquire(), false);
    now = 1000;
    assert.equal(b.tryAcquire(), true, 'the trial');
    assert.equal(b.tryAcquire(), false, 'only one trial at a time');
    b.failure();
    assert.equal(b.backoffMs(), 2000);
    now = 2999;
    assert.equal(b.tryAcquire(), false);
    now = 3000;
    assert.equal(b.tryAcquire(), true);
    b.failure(); b.failure(); b.failure(); b.failure();
    assert.equal(b.backoffMs(), 8000, 'capped');
    now = 1e6;
    assert.equal(b.tryAcquire(), true);
    b.success();
    assert.equal(b.open, false);
    assert.equal(b.tryAcquire(), true);
    assert.equal(b.tryAcquire(), true, 'closed: no limit');
  });
  test('a cancelled trial frees the slot without a verdict', () => {
    let now = 0;
    const b = new CircuitBreaker(100, 1000, () => now);
    b.failure();
    now = 100;
    assert.equal(b.tryAcquire(), true);
    b.release();
    assert.equal(b.tryAcquire(), true);
  });
});
