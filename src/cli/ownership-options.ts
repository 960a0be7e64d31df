/**
 * `--account` and `--organization`: who we are on the index, so ownership is
 * read from PyPI's own record instead of guessed from files. Shared by every
 * command that judges names on an index (check, reserve, and later watch).
 * A flag replaces the config file's value as a whole.
 */
import type { Command } from 'commander';
import { InputError, type Problem } from '../core/errors.js';
import { accountNameProblem, type OwnAccounts } from '../core/ownership.js';
import type { ConfigValues } from '../config/types.js';
import { collect } from './options.js';

export interface OwnershipFlags {
  account?: string[];
  organization?: string;
}

export function addOwnershipOptions(cmd: Command): Command {
  return cmd
    .option('--account <username>', 'your PyPI username: a project whose roles list it is reserved, any other is taken; repeatable', collect, [])
    .option('--organization <name>', 'your PyPI organization: its projects are reserved');
}

/** The accounts from flags, else the config file; undefined when none is named. Throws one InputError naming every bad value. */
export function resolveOwnership(flags: OwnershipFlags, config?: ConfigValues): OwnAccounts | undefined {
  const problems: Problem[] = [];
  const fromFile = (key: 'accounts' | 'organization') => (config ? `${config.file}:${config.lines[key] ?? 1}` : key);
  const accounts = flags.account?.length ? flags.account : (config?.accounts ?? []);
  const accountsSource = flags.account?.length ? '--account' : fromFile('accounts');
  for (const account of accounts) {
    const problem = accountNameProblem(account);
    if (problem) problems.push({ code: 'E_FLAG_INVALID', message: problem, value: account, source: accountsSource });
  }
  const organization = flags.organization ?? config?.organization;
  if (organization !== undefined) {
    const problem = accountNameProblem(organization);
    if (problem) problems.push({ code: 'E_FLAG_INVALID', message: problem, value: organization, source: flags.organization !== undefined ? '--organization' : fromFile('organization') });
  }
  if (problems.length) throw new InputError(problems);
  if (accounts.length === 0 && organization === undefined) return undefined;
  return { accounts, ...(organization !== undefined ? { organization } : {}) };
}
