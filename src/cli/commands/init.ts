/**
 * `pypi-reserve init`: writes a commented starter `pypi-reserve.toml`;
 * `init --check` checks an existing one and reports every problem with its line.
 */
import { EXIT, ReserveError } from '../../core/errors.js';
import { initConfig } from '../../config/init.js';
import { CONFIG_FILE_NAME, loadConfig } from '../../config/load.js';
import { displayPath } from '../../sources/labels.js';
import { printableLine } from '../../core/text-rules.js';
import type { RegisterCommand } from './index.js';

interface InitFlags {
  config?: string;
  force?: boolean;
  check?: boolean;
}

export const registerInit: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('init')
    .description(`write a commented starter ${CONFIG_FILE_NAME} (every key explained, none set)`)
    .option('-c, --config <file>', `where to write (or what to check); default ${CONFIG_FILE_NAME}`)
    .option('--force', 'replace an existing file')
    .option('--check', 'check an existing file instead of writing one')
    .action(async (flags: InitFlags) => {
      if (flags.check) {
        // With the metadata rules, a contact or version PyPI would refuse is reported with every other problem.
        const config = await loadConfig({ cwd: ctx.cwd, metadata: true, ...(flags.config !== undefined ? { path: flags.config } : {}) });
        if (!config) {
          throw new ReserveError('E_CONFIG_MISSING', `no ${CONFIG_FILE_NAME} in this directory to check`, {
            hint: 'create one with: pypi-reserve init, or check another file with: pypi-reserve init --check --config PATH',
          });
        }
        const keys = Object.keys(config.lines).filter((key) => key !== 'sources');
        ctx.stdout.write(`${displayPath(ctx.cwd, config.file)}: ok (${keys.length ? `sets ${keys.join(', ')}` : 'sets nothing'})\n`);
        setExit(EXIT.OK);
        return;
      }
      const file = await initConfig({ cwd: ctx.cwd, force: flags.force === true, ...(flags.config ? { path: flags.config } : {}) });
      ctx.stdout.write(`wrote ${displayPath(ctx.cwd, file)}\n`);
      const check = flags.config ? `pypi-reserve init --check --config ${flags.config}` : 'pypi-reserve init --check';
      ctx.stderr.write(`edit it (at least owner), then check it with: ${printableLine(check)}\n`);
      setExit(EXIT.OK);
    });
};
