import { dockerOnlyConfig } from '../../../lib/image/config-blob.js';

describe('the docker-only config fields', () => {
  it('are taken when well-formed and left out otherwise', () => {
    expect(dockerOnlyConfig({ Healthcheck: { Test: ['CMD', 'true'], Interval: 5e9, Retries: 'x' }, Shell: ['/bin/sh', '-ec'], OnBuild: ['RUN true'] })).toEqual({
      Healthcheck: { Test: ['CMD', 'true'], Interval: 5e9 },
      Shell: ['/bin/sh', '-ec'],
      OnBuild: ['RUN true'],
    });
    expect(dockerOnlyConfig({ Healthcheck: [], Shell: '/bin/sh', OnBuild: [1] })).toEqual({});
    expect(dockerOnlyConfig(undefined)).toEqual({});
  });
});
