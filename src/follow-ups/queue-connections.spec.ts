import { evictionPolicy, redisOptionsFromUrl } from './queue-connections';

describe('redisOptionsFromUrl', () => {
  it('reads host, port, credentials, database and TLS', () => {
    expect(redisOptionsFromUrl('rediss://user:p%40ss@cache.example:6380/2')).toEqual({
      host: 'cache.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(redisOptionsFromUrl('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379 });
  });
});

describe('evictionPolicy', () => {
  it('finds the policy in INFO memory', () => {
    const info = '# Memory\r\nused_memory:1000\r\nmaxmemory_policy:allkeys-lru\r\nfoo:1\r\n';
    expect(evictionPolicy(info)).toBe('allkeys-lru');
    expect(evictionPolicy('# Memory\r\n')).toBeNull();
  });
});
