import { cpuQuantity, cpuText, memoryQuantity, memoryText } from '../../../lib/kube/quantity.js';

describe('Kubernetes quantities', () => {
  it('reads memory in binary and decimal units and exponent form', () => {
    expect(['128Mi', '1Gi', '500M', '1k', '1e3', '512', '1.5Ki'].map((q) => memoryQuantity(q, 'm'))).toEqual([134217728, 1073741824, 500000000, 1000, 1000, 512, 1536]);
  });

  it('reads CPUs and millicores', () => {
    expect(['500m', '1.5', '2', '250m'].map((q) => cpuQuantity(q, 'c'))).toEqual([0.5, 1.5, 2, 0.25]);
  });

  it('refuses what is no quantity, naming the field', () => {
    expect(() => memoryQuantity('64MB', 'container "a" resources.limits.memory')).toThrow('invalid container "a" resources.limits.memory "64MB": use a Kubernetes quantity such as 128Mi, 1Gi or 500M');
    expect(() => cpuQuantity('0', 'cpu')).toThrow('invalid cpu "0"');
    expect(() => cpuQuantity('1 cpu', 'cpu')).toThrow('invalid cpu "1 cpu"');
  });

  it('writes bytes and CPUs back as kube generate emits them, round-tripping', () => {
    expect([67108864, 1073741824, 1536, 1000].map(memoryText)).toEqual(['64Mi', '1Gi', '1536', '1000']);
    expect([500_000_000, 2_000_000_000, 1_500_000_000].map(cpuText)).toEqual(['500m', '2', '1500m']);
    for (const q of ['64Mi', '3Gi', '1000']) expect(memoryText(memoryQuantity(q, 'm'))).toBe(q);
  });
});
