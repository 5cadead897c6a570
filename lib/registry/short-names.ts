// Which fully qualified references a name the user typed may mean remotely: a qualified name is
// itself; a short one goes through [aliases], then each unqualified-search registry in order
// (containers-registries.conf(5)). pman never prompts: several candidates are tried in order, or
// refused under short-name-mode "enforcing".
import { InvalidArgumentError } from '../errors.js';
import { DEFAULT_DOMAIN, LOCAL_DOMAIN, parseReference, type Reference } from '../image/reference.js';
import type { RegistriesConf } from './registries-conf.js';

export interface Candidates {
  refs: Reference[];
  /** How they were found, for messages: "qualified", "alias" or "search". */
  origin: 'qualified' | 'alias' | 'search';
}

function suffix(r: Reference): string {
  return (r.tag !== undefined ? `:${r.tag}` : '') + (r.digest !== undefined ? `@${r.digest}` : '');
}

export function pullCandidates(text: string, conf: RegistriesConf): Candidates {
  const ref = parseReference(text);
  if (!ref.short) {
    if (ref.domain === LOCAL_DOMAIN) {
      throw new InvalidArgumentError(`cannot pull "${text}": localhost/ images are local only and never pulled from a registry`);
    }
    return { refs: [ref], origin: 'qualified' };
  }
  const alias = conf.aliases[ref.shortPath];
  if (alias !== undefined) {
    let target: Reference;
    try {
      target = parseReference(alias + suffix(ref));
    } catch (err) {
      throw new InvalidArgumentError(`invalid alias "${ref.shortPath}" = "${alias}" in the registries configuration: ${(err as Error).message}`);
    }
    if (target.short) throw new InvalidArgumentError(`invalid alias "${ref.shortPath}" = "${alias}" in the registries configuration: the alias must name a registry`);
    return { refs: [target], origin: 'alias' };
  }
  const registries = conf.searchRegistries;
  if (registries.length === 0) {
    const where = conf.files.length ? ` in ${conf.files.map((f) => `"${f}"`).join(', ')}` : '';
    throw new InvalidArgumentError(
      `short name "${text}" did not resolve to an alias and no unqualified-search registries are defined${where}: use a fully qualified name such as ${DEFAULT_DOMAIN}/${ref.path}`,
    );
  }
  if (conf.shortNameMode === 'enforcing' && registries.length > 1) {
    throw new InvalidArgumentError(
      `short name "${text}" is ambiguous with short-name-mode "enforcing" (search registries: ${registries.join(', ')}): use a fully qualified name`,
    );
  }
  const refs = registries.map((reg) => parseReference(`${reg}/${ref.shortPath}${suffix(ref)}`));
  return { refs, origin: 'search' };
}
